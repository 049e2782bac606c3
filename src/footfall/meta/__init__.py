"""The metadata store: users, credentials, apps and their settings, goals, permissions, audit log."""

from footfall.meta.errors import Conflict, MetaError, NotFound, ValidationError
from footfall.meta.store import MetaStore

__all__ = ["Conflict", "MetaError", "MetaStore", "NotFound", "ValidationError"]
