"""One grammar for amounts of money, wherever an amount enters the app (the
project import, the edit form, the command line).

Swedish convention (``sv``, the default):

* the comma is the decimal mark: ``1,5 mnkr`` is one and a half million kronor;
* thousands are grouped by a space, a no-break space (U+00A0, U+202F, U+2009) or a
  dot, in groups of three: ``1 234 567``, ``1.234.567``; one kind per number;
* a unit may follow the number: ``kr``, ``sek``, ``tkr``/``ksek`` (× 1 000),
  ``mnkr``/``mkr``/``msek`` (× 1 000 000); ``500:-`` and ``500,-`` are whole kronor.
  Without a unit in the cell, the unit in the column header applies
  (``Belopp (tkr)``), then the mapping profile's ``unit``, then kronor.

English convention (``en``, chosen per mapping profile with ``number_format: en``):
the dot is the decimal mark and the comma groups thousands; everything else is alike.

What is ambiguous is refused, never guessed: a separator used the other
convention's way (``1.5`` or ``1,234,567`` in a Swedish file), groups that are not
three digits, and kronor with more than two decimals (``1,500`` kr would be one
krona fifty in Swedish but one thousand five hundred in English). The message
says how the value was read and how to write it.

Rounding: amounts are stored as whole kronor; öre are rounded **half up**
(``1 234,50`` → 1 235 kr, ``1 234,49`` → 1 234 kr), the same in the import, the
edit form and the command line. Amounts above a ceiling (default
100 000 000 000 kr, ``RUS_MAX_AMOUNT_SEK``) are refused.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

Msg = tuple[str, dict[str, object]]
"""A problem's i18n key (``problem.<key>``) and its values."""

ROUNDING = ROUND_HALF_UP
DEFAULT_CEILING_SEK = 100_000_000_000
CONVENTIONS = ("sv", "en")
UNITS: dict[str, int] = {
    "kr": 1,
    "sek": 1,
    "tkr": 1_000,
    "ksek": 1_000,
    "mnkr": 1_000_000,
    "mkr": 1_000_000,
    "msek": 1_000_000,
}
_UNIT_WORD = "|".join(sorted(UNITS, key=len, reverse=True))
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})
_CELL = re.compile(rf"([+\-\u2212]?)\s*([0-9][0-9 .,]*?)\s*(?:(,-|:-)|({_UNIT_WORD})\.?)?", re.ASCII)
_MAX_CHARS = 60


def header_unit(header: str) -> int | None:
    """The multiplier a column header names, e.g. ``Belopp (tkr)`` → 1000; None without a unit."""
    m = re.search(rf"\b({_UNIT_WORD})\b", str(header).lower())
    return UNITS[m.group(1)] if m else None


def to_kronor(value: Decimal) -> int:
    """Whole kronor from an exact amount, öre rounded half up (the app's one rounding rule)."""
    return int(value.quantize(Decimal(1), rounding=ROUNDING))


def format_sv(value: Decimal | int) -> str:
    """``1234567.5`` → ``1 234 567,5`` (plain spaces), for messages that show how to write a value."""
    sign = "-" if value < 0 else ""
    text = format(abs(Decimal(value)), "f")
    whole, _, frac = text.partition(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{sign}{groups}{',' + frac if frac else ''}"


def parse_amount(
    raw: Any,
    *,
    unit: int | None = None,
    convention: str = "sv",
    ceiling: int = DEFAULT_CEILING_SEK,
) -> tuple[int | None, Msg | None]:
    """(whole kronor, None) or (None, problem). An empty cell is 0 kr.

    ``unit`` is the multiplier of the column (from its header or the profile); a unit
    written in the cell wins. ``convention`` is ``sv`` or ``en`` (see the module text).
    Negative amounts parse (the caller decides whether they are allowed)."""
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown number convention {convention!r}")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 0, None
    if isinstance(raw, bool):
        return None, ("not_amount_example", {"value": repr(raw)})
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return None, ("not_amount_example", {"value": repr(raw)})
        return _bounded(Decimal(repr(raw)) * (unit or 1), raw, ceiling)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            return None, ("not_amount_example", {"value": repr(str(raw))})
        return _bounded(raw * (unit or 1), raw, ceiling)
    text = str(raw).translate(_SPACES).strip()
    shown = repr(text[:_MAX_CHARS] + ("…" if len(text) > _MAX_CHARS else ""))
    if text.startswith("="):
        return None, ("amount_formula", {"value": shown})
    if len(text) > _MAX_CHARS:
        return None, ("not_amount_example", {"value": shown})
    m = _CELL.fullmatch(text.lower())
    if not m:
        return None, ("not_amount_example", {"value": shown})
    sign, number, whole_kronor, cell_unit = m.groups()
    multiplier = UNITS[cell_unit] if cell_unit else (unit or 1)
    value, err = _number(number, convention, shown, multiplier)
    if err:
        return None, err
    assert value is not None
    if whole_kronor and value != value.to_integral_value():
        return None, ("not_amount_example", {"value": shown})
    if sign in ("-", "\u2212"):
        value = -value
    return _bounded(value * multiplier, text, ceiling)


def _bounded(value: Decimal, raw: object, ceiling: int) -> tuple[int | None, Msg | None]:
    kronor = to_kronor(value)
    if abs(kronor) > ceiling:
        return None, (
            "amount_too_large",
            {"value": repr(str(raw)[:_MAX_CHARS]), "amount": format_sv(kronor), "ceiling": format_sv(ceiling)},
        )
    return kronor, None


def _number(number: str, convention: str, shown: str, multiplier: int) -> tuple[Decimal | None, Msg | None]:
    """The exact value of a number written in ``convention``, or the reason it is refused."""
    decimal_mark, other_mark = (",", ".") if convention == "sv" else (".", ",")
    if number.count(decimal_mark) > 1:
        suggest = format_sv(Decimal(re.sub(r"[^0-9]", "", number)))
        return None, (f"amount_mark_twice_{convention}", {"value": shown, "suggest": suggest})
    whole, _, frac = number.partition(decimal_mark)
    if not frac and decimal_mark in number:
        return None, ("not_amount_example", {"value": shown})
    if " " in frac or other_mark in frac:
        return None, (f"amount_other_convention_{convention}", {"value": shown})
    whole = whole.strip()
    last = whole.rsplit(other_mark, 1)
    if len(last) == 2 and not frac and len(last[1]) != 3 and re.fullmatch(r"[0-9]+", last[1]):
        # 1.5 or 1 234.5 in a Swedish file (1,5 in an English one): the other convention's decimal
        suggest = last[0] + decimal_mark + last[1]
        return None, (f"amount_other_decimal_{convention}", {"value": shown, "suggest": suggest})
    group_marks = {c for c in whole if c in " " + other_mark}
    if len(group_marks) > 1:
        return None, ("amount_mixed_groups", {"value": shown})
    if group_marks:
        mark = group_marks.pop()
        if not re.fullmatch(rf"\d{{1,3}}({re.escape(mark)}\d{{3}})+", whole):
            return None, ("amount_groups", {"value": shown})
        whole = whole.replace(mark, "")
    if not re.fullmatch(r"[0-9]+", whole):
        return None, ("not_amount_example", {"value": shown})
    try:
        value = Decimal(f"{whole}.{frac}" if frac else whole)
    except InvalidOperation:
        return None, ("not_amount_example", {"value": shown})
    if multiplier == 1 and len(frac) > 2:
        # kronor have öre at most: 1,500 kr is either 1,50 kr or 1 500 kr, never guessed
        return None, (
            f"amount_ambiguous_{convention}",
            {"value": shown, "read": format_sv(value.normalize()), "whole": format_sv(Decimal(whole + frac))},
        )
    return value, None
