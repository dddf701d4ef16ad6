"""The one filter model shared by every page, and its URL form.

A :class:`FilterState` is parsed from and written to the URL query string by
pure functions, so a copied link reproduces the view::

    ?year=2024                  one year
    ?year=2019-2024             a range (either end may be left out: 2019-, -2024)
    ?theme=energi,kompetens     several values are comma-separated
    &goal=klimat&municipality=1080&status=pagaende&source=eruf

Unknown keys are ignored; repeated keys are merged. Values are kept as given
by :func:`parse_query`; :func:`resolve` maps names to codes (case-insensitive)
against the vocabularies in the database and drops what is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

MIN_YEAR = 1990
MAX_YEAR = 2100
LIST_KEYS = ("theme", "goal", "municipality", "status", "source")


@dataclass(frozen=True)
class FilterState:
    """Year range (inclusive; None = open), and selected codes per dimension
    (empty = no restriction)."""

    year_from: int | None = None
    year_to: int | None = None
    theme: tuple[str, ...] = field(default_factory=tuple)
    goal: tuple[str, ...] = field(default_factory=tuple)
    municipality: tuple[str, ...] = field(default_factory=tuple)
    status: tuple[str, ...] = field(default_factory=tuple)
    source: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return self == FilterState()

    def with_values(self, **changes: object) -> FilterState:
        """A copy with some fields replaced (lists are normalised to tuples)."""
        norm = {k: _as_tuple(v) if k in LIST_KEYS else v for k, v in changes.items()}
        return replace(self, **norm)


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(",")
    out: list[str] = []
    for item in value:  # type: ignore[union-attr]
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _parse_year(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit():
        return None
    year = int(text)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def parse_year_range(text: str) -> tuple[int | None, int | None]:
    """``'2024'`` → (2024, 2024); ``'2019-2024'`` → (2019, 2024); junk → (None, None).
    A reversed range is put in order."""
    text = (text or "").strip()
    if "-" in text:
        lo_s, hi_s = text.split("-", 1)
        lo, hi = _parse_year(lo_s), _parse_year(hi_s)
    else:
        lo = hi = _parse_year(text)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def format_year_range(year_from: int | None, year_to: int | None) -> str:
    """Inverse of :func:`parse_year_range` ('' when open at both ends)."""
    if year_from is None and year_to is None:
        return ""
    if year_from == year_to:
        return str(year_from)
    return f"{year_from or ''}-{year_to or ''}"


def parse_query(query: str | Mapping[str, object] | None) -> FilterState:
    """Parse a query string (with or without the leading ``?``) or a mapping
    such as Dash's ``layout(**query)`` keyword arguments."""
    if query is None:
        return FilterState()
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=False)
    else:
        pairs = []
        for key, value in query.items():
            if isinstance(value, (list, tuple)):
                pairs += [(key, str(v)) for v in value]
            elif value is not None:
                pairs.append((key, str(value)))
    merged: dict[str, list[str]] = {}
    for key, value in pairs:
        merged.setdefault(key, []).append(value)
    year_from, year_to = parse_year_range(merged.get("year", [""])[-1])
    lists = {key: _as_tuple(",".join(merged.get(key, []))) for key in LIST_KEYS}
    return FilterState(year_from=year_from, year_to=year_to, **lists)


def to_query(state: FilterState) -> str:
    """Serialise to a query string with a leading ``?`` ('' when empty);
    keys in a fixed order so equal states give equal URLs."""
    params: list[tuple[str, str]] = []
    years = format_year_range(state.year_from, state.year_to)
    if years:
        params.append(("year", years))
    for key in LIST_KEYS:
        values = getattr(state, key)
        if values:
            params.append((key, ",".join(values)))
    return "?" + urlencode(params, safe=",") if params else ""


def resolve(state: FilterState, vocab: Mapping[str, Mapping[str, str]]) -> FilterState:
    """Map each value to its canonical code using ``vocab[key]`` = {alias → code}
    (aliases are lower-cased codes and names); unknown values are dropped.
    Keys missing from ``vocab`` are left as they are."""
    changes: dict[str, tuple[str, ...]] = {}
    for key in LIST_KEYS:
        if key not in vocab:
            continue
        aliases = vocab[key]
        codes = [aliases.get(v.strip().lower()) for v in getattr(state, key)]
        changes[key] = tuple(dict.fromkeys(c for c in codes if c))
    return replace(state, **changes)
