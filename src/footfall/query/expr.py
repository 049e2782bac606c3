"""A small expression tree: what metric formulas and dimension expressions are made of.

The compiler turns it into SQL through a dialect (`dialects/`), so no formula is written in one
engine's SQL. `Col` names a catalog column; the compiler decides which table it is read from.
`Lit` values are bound parameters; `Const` is an integer constant of our own code (event types)
written into the SQL text, never a value from a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Expr:
    """Base of every node."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Col(Expr):
    """A catalog column (or a stored helper column such as `pv_id`), resolved per scope."""

    id: str


@dataclass(frozen=True, slots=True)
class Lit(Expr):
    """A value bound as a parameter."""

    value: Any


@dataclass(frozen=True, slots=True)
class Const(Expr):
    """An integer constant of our own code, written inline."""

    value: int


@dataclass(frozen=True, slots=True)
class Cmp(Expr):
    """Binary comparison: one of = <> > >= < <=."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class In(Expr):
    """`expr IN (constants)`."""

    expr: Expr
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class And(Expr):
    """Conjunction."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or(Expr):
    """Disjunction."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """Negation."""

    item: Expr


@dataclass(frozen=True, slots=True)
class IsNull(Expr):
    """`expr IS NULL`."""

    item: Expr


@dataclass(frozen=True, slots=True)
class Tuple(Expr):
    """A row of values, for distinct counts over several columns."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Fn(Expr):
    """A scalar function of the dialect's table (`to_date`, `list_len`, `coalesce`, ...)."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Agg(Expr):
    """An aggregate: count, count_distinct, sum, min, max, avg, median; `where` filters rows."""

    fn: str
    arg: Expr | None = None
    where: Expr | None = None


@dataclass(frozen=True, slots=True)
class SessionAgg(Expr):
    """An aggregate over the distinct sessions of a group (a session column in event scope)."""

    fn: str
    arg: Expr


@dataclass(frozen=True, slots=True)
class Div(Expr):
    """A ratio; NULL when the denominator is 0 (DATA-MODEL §3)."""

    num: Expr
    den: Expr


@dataclass(frozen=True, slots=True)
class Minus(Expr):
    """Difference, clamped at 0 when `clamp` (consents_no_decision)."""

    left: Expr
    right: Expr
    clamp: bool = False


def eq(column: str, value: int) -> Expr:
    """`column = constant`."""
    return Cmp("=", Col(column), Const(value))


def columns_of(expr: Expr) -> set[str]:
    """Every column id an expression reads."""
    found: set[str] = set()
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Col):
            found.add(node.id)
        elif isinstance(node, Expr):
            for name in node.__dataclass_fields__:  # type: ignore[attr-defined]
                value = getattr(node, name)
                if isinstance(value, tuple):
                    stack.extend(value)
                else:
                    stack.append(value)
    return found


def has_session_agg(expr: Expr) -> bool:
    """Whether the tree holds a SessionAgg (it needs the session id of each row)."""
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, SessionAgg):
            return True
        if isinstance(node, Expr):
            for name in node.__dataclass_fields__:  # type: ignore[attr-defined]
                value = getattr(node, name)
                stack.extend(value if isinstance(value, tuple) else (value,))
    return False
