"""The Pirsch-compatible REST API (api-notes pirsch.md): tokens, ingestion, statistics, management."""
