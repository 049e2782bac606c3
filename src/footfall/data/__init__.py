"""Data files of Footfall: continents, search engines, social networks (read with importlib.resources)."""
