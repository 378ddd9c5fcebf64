"""Files sent small and kept long: read and gzip-compressed once at start, named with a hash of their content.

A versioned address (`phone.js?v=<hash>`) always gives the same bytes, so browsers keep it for a year and
never ask again; the page that names the files is sent `no-cache`, so a new version reaches phones at once.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

KEEP_FOR_A_YEAR = "public, max-age=31536000, immutable"
ASK_EVERY_TIME = "no-cache"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".ico": "image/x-icon", ".svg": "image/svg+xml", ".png": "image/png"}
COMPRESSIBLE = (".js", ".css", ".svg", ".ico")


def accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, _, quality = part.partition(";")
        if coding.strip().lower() == "gzip" and quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00"):
            return True
    return False


@dataclass(frozen=True)
class StoredFile:
    body: bytes
    gzipped: bytes | None
    version: str
    media_type: str


def _stored(path: Path) -> StoredFile:
    body = path.read_bytes()
    gzipped = gzip.compress(body, compresslevel=9, mtime=0) if path.suffix in COMPRESSIBLE else None
    return StoredFile(body, gzipped, hashlib.sha256(body).hexdigest()[:12],
                      MEDIA_TYPES.get(path.suffix, "application/octet-stream"))


class VersionedFiles:
    """The files of `folder` (not its pages), served under `prefix`."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.prefix = prefix.rstrip("/")
        self.files = {path.name: _stored(path) for path in sorted(folder.iterdir())
                      if path.is_file() and path.suffix != ".html"}  # pages are made, not sent as they lie

    def address(self, name: str) -> str:
        return f"{self.prefix}/{name}?v={self.files[name].version}"

    def with_versions(self, html: str) -> str:
        """`html` with every `"<prefix>/<name>"` of a file here turned into its versioned address."""
        pattern = re.compile(r'"' + re.escape(self.prefix) + r'/([^"?#/]+)"')
        return pattern.sub(lambda found: f'"{self.address(found[1])}"' if found[1] in self.files else found[0], html)

    def response(self, name: str, request: Request) -> Response:
        stored = self.files.get(name)
        if stored is None:
            return Response("Not Found", status_code=404, media_type="text/plain")
        current = request.query_params.get("v") == stored.version
        headers = {"Cache-Control": KEEP_FOR_A_YEAR if current else ASK_EVERY_TIME, "Vary": "Accept-Encoding",
                   "ETag": f'"{stored.version}"'}
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
        body = stored.body
        if stored.gzipped is not None and len(stored.gzipped) < len(body) and accepts_gzip(request):
            body, headers["Content-Encoding"] = stored.gzipped, "gzip"
        return Response(body, media_type=stored.media_type, headers=headers)  # the server drops the body for HEAD
