"""Errors raised by the metadata services; the CLI and the APIs turn them into their own shapes."""

from __future__ import annotations


class MetaError(Exception):
    """Base class of every error the metadata services raise on purpose."""


class ValidationError(MetaError):
    """An input value is invalid; `field` names the attribute (API pointer, CLI option)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(MetaError):
    """The addressed object (app, user, credential) does not exist."""


class Conflict(MetaError):
    """The change would break a uniqueness rule (e.g. a second user with the same email)."""
