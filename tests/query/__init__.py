"""Tests of the query model and the analytics API."""
