"""Footfall query layer."""
