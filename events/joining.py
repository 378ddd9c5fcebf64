"""How phones find an event: the join address and its QR code."""

from __future__ import annotations

import io
from functools import lru_cache
from html import escape

import qrcode
import qrcode.image.svg


def join_url(public_url: str, join_code: str) -> str:
    return f"{public_url.rstrip('/')}/join/{join_code}"


def typed_join_address(public_url: str) -> str:
    """The join address as people type it: no scheme, no code ("dialog.example.no/join")."""
    return f"{public_url.rstrip('/')}/join".removeprefix("https://").removeprefix("http://")


def normalise_code(code: str) -> str:
    """What people type: lower case, spaces, a dash in the middle."""
    return "".join(character for character in code.upper() if character.isalnum())


@lru_cache(maxsize=64)
def qr_svg(url: str, label: str) -> str:
    """A crisp, scalable SVG QR code for `url`, named for screen readers by `label`."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1) \
        .replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)
