"""Footfall api layer."""
