"""Error bodies of the analytics API: `{"errors":[{"status","detail","source":{"parameter"}}]}`.

api-notes §0.3: errors are always JSON, whatever `format` the request asked for.
"""

from __future__ import annotations

import orjson
from starlette.responses import Response

NO_CREDENTIALS = "No valid credentials provided."


def error(status: int, detail: str, parameter: str | None = None) -> Response:
    """One error as the analytics API answers it."""
    item: dict[str, object] = {"status": str(status), "detail": detail}
    if parameter is not None:
        item["source"] = {"parameter": parameter}
    return Response(
        orjson.dumps({"errors": [item]}), status_code=status, media_type="application/json"
    )
