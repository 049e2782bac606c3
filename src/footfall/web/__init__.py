"""Footfall web layer."""
