"""Footfall auth layer."""
