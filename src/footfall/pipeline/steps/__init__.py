"""Ingestion steps: each enriches a Hit in place or drops it with a `Reason`."""
