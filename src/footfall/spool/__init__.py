"""Durable log between the collector and the pipeline: append-only segment files."""
