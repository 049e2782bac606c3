"""User-agent parsing support for put_device: device-detector's exact answers, faster.

literals.py   required literals of a regex (sound: a regex cannot match without one of them)
table.py      those literals for every pattern of the pinned release, shipped in footfall/data
candidates.py a regex list walked only through the entries that can match, in order
screen.py     installs both on device-detector's own regex objects (pinned version only)
cache.py      the parsed-UA file in the data dir
corpus.py     device-detector's fixture UAs, for the benchmark and the differential tests
"""
