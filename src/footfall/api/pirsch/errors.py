"""Errors of the Pirsch family in its body shape (api-notes §1).

Every non-2xx answer is `{"validation": {field: message}, "error": [message]}`; the JS SDK shows
`error[0]`, else the validation object, so both keys are always present.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse, Response

__all__ = ["PirschError", "pirsch_error_response"]


class PirschError(Exception):
    """A refusal with its HTTP status, general messages and per-field validation messages."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        validation: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message or ", ".join(f"{k}: {v}" for k, v in (validation or {}).items()))
        self.status = status
        self.message = message
        self.validation = dict(validation or {})

    @classmethod
    def invalid(cls, field: str, message: str) -> PirschError:
        """A 400 naming the field at fault."""
        return cls(400, None, {field: message})


def pirsch_error_response(exc: PirschError) -> Response:
    """The wire form of `exc`."""
    body = {"validation": exc.validation, "error": [exc.message] if exc.message else []}
    return JSONResponse(body, status_code=exc.status)
