"""Errors raised by the metadata services; the CLI and the APIs turn them into their own shapes.

Each error carries a `code` in the platform API's vocabulary (api-notes §0.3), so every caller
reports the same code for the same failure.
"""

from __future__ import annotations


class MetaError(Exception):
    """Base class of every error the metadata services raise on purpose."""

    code = "error.default"

    def __init__(self, message: str, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the attribute at fault, when there is one
        if code is not None:
            self.code = code


class ValidationError(MetaError):
    """An input value is invalid; `field` names the attribute (API pointer, CLI option)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)
        self.field: str = field
        self.message = message


class NotFound(MetaError):
    """The addressed object (app, user, credential) does not exist."""

    code = "error.resource-not-found"


class Conflict(MetaError):
    """The change would break a uniqueness rule (e.g. a second user with the same email)."""


class Refused(MetaError):
    """A rule forbids the change (the last owner, one's own account, a wrong current password)."""
