"""Serving the built tracker at /ppms.js, /piwik.js and /matomo.js.

The file is built by `tracker/build.mjs` (esbuild) with gzip and brotli copies next to it, all
committed into the package, so a running server needs no Node and never compresses per request:
it reads the three files once and answers from memory, by Accept-Encoding, with an ETag.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["SCRIPT_PATHS", "STATIC_DIR", "TrackerScript", "tracker_script_routes"]

STATIC_DIR = Path(__file__).parent / "static"
#: seed 001 §2.1.2 loads ppms.js; Matomo and older Piwik snippets load matomo.js / piwik.js.
SCRIPT_PATHS = ("/ppms.js", "/piwik.js", "/matomo.js")
#: why: the URL carries no version, so a week (then revalidated by ETag) bounds how long a fixed
#: tracker takes to reach every visitor while sparing them a download on every page.
CACHE_CONTROL = "public, max-age=604800, stale-while-revalidate=86400"


def _accepted(accept_encoding: str) -> set[str]:
    """Codings the client accepts (q > 0), from an Accept-Encoding header."""
    out: set[str] = set()
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding and q > 0:
            out.add(coding)
    return out


@dataclass(frozen=True)
class TrackerScript:
    """The built tracker in its three encodings, with one ETag per encoding."""

    identity: bytes
    gzip: bytes
    brotli: bytes
    etag: str

    @classmethod
    def load(cls, directory: Path = STATIC_DIR) -> TrackerScript:
        """Read ppms.js and its .gz/.br copies; OSError when the build is missing."""
        identity = (directory / "ppms.js").read_bytes()
        digest = hashlib.sha256(identity).hexdigest()[:20]
        return cls(
            identity=identity,
            gzip=(directory / "ppms.js.gz").read_bytes(),
            brotli=(directory / "ppms.js.br").read_bytes(),
            etag=f'"{digest}"',
        )

    def variant(self, accept_encoding: str) -> tuple[bytes, str, str]:
        """(body, Content-Encoding or "", ETag) for a client's Accept-Encoding: br, gzip, plain."""
        accepted = _accepted(accept_encoding)
        if "br" in accepted:
            return self.brotli, "br", self.etag[:-1] + '-br"'
        if "gzip" in accepted or "*" in accepted:
            return self.gzip, "gzip", self.etag[:-1] + '-gz"'
        return self.identity, "", self.etag

    def matches(self, if_none_match: str) -> bool:
        """Does an If-None-Match header name this script (in any encoding)?"""
        if if_none_match.strip() == "*":
            return True
        base = self.etag.strip('"')
        for tag in if_none_match.split(","):
            value = tag.strip().removeprefix("W/").strip('"')
            if value in (base, base + "-br", base + "-gz"):
                return True
        return False

    def respond(self, request: Request) -> Response:
        """200 with the best encoding, or 304 when the client's copy is current."""
        body, encoding, etag = self.variant(request.headers.get("accept-encoding", ""))
        headers = {
            "cache-control": CACHE_CONTROL,
            "etag": etag,
            "vary": "Accept-Encoding",
            "x-content-type-options": "nosniff",
            "access-control-allow-origin": "*",
        }
        if self.matches(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        if encoding:
            headers["content-encoding"] = encoding
        return Response(body, headers=headers, media_type="text/javascript; charset=utf-8")


def tracker_script_routes(script: TrackerScript | None = None) -> list[Route]:
    """GET/HEAD routes for every tracker path, answered from `script` (default: the package's)."""
    loaded = script or TrackerScript.load()

    async def serve_script(request: Request) -> Response:
        return loaded.respond(request)

    return [Route(path, serve_script, methods=["GET", "HEAD"]) for path in SCRIPT_PATHS]
