"""Screened regexes: device-detector's own regexes, skipped by a substring test when they cannot match.

device-detector (the Python port) walks its regex lists in order and compiles each regex on
first use, so an unseen user agent costs thousands of regex searches and, early on, thousands
of compilations. `install()` gives every regex object of the library a screen: the required
literals of its pattern (see `literals.py`). A search on text that contains none of them
returns None at once; otherwise the real regex runs. Order, regexes and results are the
library's own; only searches that cannot succeed are skipped.

Pinned: this relies on device-detector's `RegexLazy` objects and regex-list loaders, so it
installs only on the version it was verified against (the differential test over the whole
fixture corpus); on any other version the library runs untouched.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import threading
from collections.abc import Iterator
from importlib import metadata
from typing import Any

import regex
from device_detector import lazy_regex
from device_detector.yaml_loader import RegexLoader

from .candidates import candidate_list
from .candidates import switch as _switch
from .table import literals_of

__all__ = [
    "PINNED_VERSION",
    "ScreenedRegex",
    "disable",
    "ensure",
    "install",
    "installed",
    "screened_regexes",
]

#: the device-detector release whose internals this module was verified against
PINNED_VERSION = "6.5.1"
_UNKNOWN: Any = object()
_lock = threading.Lock()
_state = {"installed": False, "disabled": False, "tried": False}


class ScreenedRegex(lazy_regex.RegexLazy):  # type: ignore[misc]
    """A RegexLazy that answers None without searching when its required literals are absent."""

    # why: the parent routes every attribute through a Python __getattribute__; plain lookup is ~10x faster
    __getattribute__ = object.__getattribute__
    pattern: str
    flags: int
    compiled: Any
    literals: Any

    def search(self, string: Any, *args: Any, **kwargs: Any) -> Any:
        """Same as the compiled regex's search, skipped when it cannot match."""
        literals = self.literals
        if literals is _UNKNOWN:
            literals = self.prepare()
        if literals and string.__class__ is str and string.isascii() and _switch["screening"]:
            # why: ASCII only; non-ASCII text can case-fold onto ASCII letters (K, ſ)
            lowered = _lowered(string)
            for literal in literals:
                if literal in lowered:
                    break
            else:
                return None
        return (self.compiled or self._compile()).search(string, *args, **kwargs)

    def prepare(self) -> Any:
        """Works out this regex's required literals (a tuple, possibly empty = always search)."""
        self.literals = literals_of(self.pattern, self.flags)
        return self.literals

    def _compile(self) -> Any:
        self.compiled = regex.compile(self.pattern, self.flags)
        return self.compiled

    def __getattr__(self, name: str) -> Any:
        # why: as RegexLazy: match/sub/finditer… compile first, other names reach a compiled regex
        if name in lazy_regex.REGEX_ATTRS:
            return getattr(self.compiled or self._compile(), name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return repr(self.compiled or self._compile())

    def __hash__(self) -> int:
        return hash(self.compiled or self._compile())

    def __eq__(self, other: object) -> bool:
        return bool((self.compiled or self._compile()) == getattr(other, "compiled", other))


_last: tuple[str, str] = ("", "")


def _lowered(text: str) -> str:
    """text.lower(), remembered for the last text (one user agent meets thousands of regexes)."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    lowered = text.lower()
    _last = (text, lowered)
    return lowered


def installed() -> bool:
    """Whether the screens are on (only on the pinned device-detector version)."""
    return _state["installed"]


def ensure() -> None:
    """Installs the screens on the first call of the process; a flag test afterwards."""
    if not _state["tried"]:
        install()


def install() -> bool:
    """Puts a screen on every regex device-detector holds; idempotent; False if not the pinned version."""
    with _lock:
        try:
            pinned = metadata.version("device_detector") == PINNED_VERSION
            if pinned and not _state["installed"] and not _state["disabled"]:
                _screen_all()
                _state["installed"] = True
        finally:
            # why: set last, so a concurrent first parse waits on the lock rather than racing the swap
            _state["tried"] = True
        return _state["installed"]


def _screen_all() -> None:
    for rx in _library_regexes():
        if type(rx) in (lazy_regex.RegexLazy, lazy_regex.RegexLazyIgnore):
            rx.literals = (
                _UNKNOWN  # why: before the class swap, which a parsing thread may see at once
            )
            rx.__class__ = ScreenedRegex
    RegexLoader.regex_list = property(candidate_list)


def disable() -> None:
    """Keeps the library untouched in this process (reference runs: the golden file, `bench/ua.py`)."""
    with _lock:
        if _state["installed"]:
            raise RuntimeError("the screens are already installed in this process")
        _state["disabled"] = True


@contextlib.contextmanager
def unscreened() -> Iterator[None]:
    """Within: every regex is searched, as by the plain library (a reference for differential tests)."""
    before = _switch["screening"]
    _switch["screening"] = False
    try:
        yield
    finally:
        _switch["screening"] = before


def screened_regexes() -> list[ScreenedRegex]:
    """Every screened regex (for warm-up and tests)."""
    seen: dict[int, ScreenedRegex] = {}
    for rx in _library_regexes():
        if isinstance(rx, ScreenedRegex):
            seen.setdefault(id(rx), rx)
    return list(seen.values())


def _library_regexes() -> Iterator[Any]:
    """Every RegexLazy reachable from device-detector's modules and its (cached) regex lists."""
    import device_detector
    from device_detector.parser.parser import Parser
    from device_detector.yaml_loader import normalized_regex_list, regex_list

    for info in pkgutil.walk_packages(device_detector.__path__, "device_detector."):
        if ".tests" in info.name or info.name.endswith(".tests"):
            continue
        module = importlib.import_module(info.name)
        for value in list(vars(module).values()):
            yield from _walk(value)
        for name in ("os_regex_list", "vendor_regex_list", "_regex_list"):
            loader = vars(module).get(name)
            if callable(loader) and getattr(loader, "__module__", "") == info.name:
                yield from _walk(loader())
    for parser in _subclasses(Parser):
        if parser.fixture_files:
            yield from _walk(regex_list(tuple(parser.fixture_files)))
    yield from _walk(normalized_regex_list("local/device/normalize.yml"))


def _subclasses(cls: Any) -> Iterator[Any]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _walk(value: Any) -> Iterator[Any]:
    if isinstance(value, lazy_regex.RegexLazy):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v)
