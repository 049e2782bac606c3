"""Durable log between the collector and the pipeline: append-only segment files."""

from footfall.spool.files import SpoolError
from footfall.spool.log import DURABILITIES, Spool

__all__ = ["DURABILITIES", "Spool", "SpoolError"]
