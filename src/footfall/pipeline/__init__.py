"""Records become rows: parse, validate, enrich, sessionize, write."""
