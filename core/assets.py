"""Where the bundled files are: assets/ beside the packages."""

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
