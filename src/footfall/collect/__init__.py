"""Tracking protocols: HTTP endpoints and parameter parsing into `Hit` records."""
