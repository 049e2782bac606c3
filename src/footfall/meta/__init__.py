"""Footfall meta layer."""
