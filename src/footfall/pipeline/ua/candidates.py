"""Candidate lists: the entries of a device-detector regex list that can match one user agent, in order.

device-detector's parsers walk a whole regex list (1,300 brands in `mobiles.yml`) and stop at
the first match. An entry whose required literals (see `literals.py`) are all absent from the
user agent cannot match, so walking only the other entries, in the original order, finds the
same first match. One Aho-Corasick pass over the lowercased user agent finds every literal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ahocorasick_rs

from .table import literals_of

__all__ = ["CandidateIndex", "candidate_list"]


class CandidateIndex:
    """The entries of one regex list indexed by the literals their main regex requires."""

    __slots__ = ("_always", "_automaton", "_entries", "_owners")

    def __init__(self, entries: Sequence[dict[str, Any]]) -> None:
        self._entries = list(entries)
        owners: dict[str, list[int]] = {}
        always: list[int] = []
        for position, entry in enumerate(self._entries):
            rx = entry.get("regex")
            found = literals_of(rx.pattern, rx.flags) if rx is not None else None
            if not found:
                always.append(position)
                continue
            for literal in found:
                owners.setdefault(literal, []).append(position)
        self._always = frozenset(always)
        literals = list(owners)
        self._owners = [owners[literal] for literal in literals]
        self._automaton = ahocorasick_rs.AhoCorasick(literals) if literals else None

    def candidates(self, text: str) -> list[dict[str, Any]]:
        """The entries whose main regex may match `text`, in list order."""
        if self._automaton is None or not text.isascii():
            # why: non-ASCII text can case-fold onto ASCII letters; take no shortcut
            return self._entries
        positions = set(self._always)
        owners = self._owners
        for literal, _start, _end in self._automaton.find_matches_as_indexes(
            text.lower(), overlapping=True
        ):
            positions.update(owners[literal])
        entries = self._entries
        return [entries[p] for p in sorted(positions)]


_indexes: dict[tuple[str, ...], CandidateIndex] = {}
#: False makes every screen pass everything (`screen.unscreened()`: the in-process reference)
switch = {"screening": True}


def candidate_list(parser: Any) -> list[dict[str, Any]]:
    """`RegexLoader.regex_list` for one parser: its candidate entries, or all when hints name a model.

    why: with a client-hint model, `Device._parse` also reads entries whose regex does not
    match the user agent (their model regexes are tried on the hint), so nothing is skipped.
    """
    from device_detector.yaml_loader import regex_list

    key = parser.fixture_files
    entries: list[dict[str, Any]] = regex_list(key)
    hints = parser.client_hints
    if (hints is not None and hints.model) or not switch["screening"]:
        return entries
    index = _indexes.get(key)
    if index is None:
        index = _indexes.setdefault(key, CandidateIndex(entries))
    return index.candidates(parser.user_agent)
