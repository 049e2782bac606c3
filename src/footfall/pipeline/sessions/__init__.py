"""Sessionization: hits become visits (DATA-MODEL §5) and rows."""
