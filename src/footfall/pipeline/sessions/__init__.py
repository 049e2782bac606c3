"""Sessionization: hits become visits (DATA-MODEL §5) and rows."""

from .sessionizer import Sessionizer

__all__ = ["Sessionizer"]
