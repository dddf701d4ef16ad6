"""UI strings (Swedish by default, English as a switch) and the one place
where numbers, money and dates are formatted (through Babel)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_decimal

from .en import STRINGS as EN
from .sv import STRINGS as SV

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
_STRINGS = {"sv": SV, "en": EN}
_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
NBSP = "\u00a0"


def lang_or_default(lang: str | None) -> str:
    """A supported language code (falls back to Swedish)."""
    return lang if lang in _STRINGS else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **values: object) -> str:
    """Translate ``key``; English falls back to Swedish, a missing key shows itself."""
    lang = lang_or_default(lang)
    text = _STRINGS[lang].get(key) or SV.get(key) or key
    return text.format(**values) if values else text


DROPDOWN_LABEL_KEYS = (
    "select_all",
    "deselect_all",
    "selected_count",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def dropdown_labels(lang: str | None = None) -> dict[str, str]:
    """``dcc.Dropdown(labels=...)``: the texts Dash 4 draws inside a dropdown ("Select All",
    "4 selected", …) in the language (every key: a given dict replaces Dash's defaults whole)."""
    return {key: t(f"dropdown.{key}", lang) for key in DROPDOWN_LABEL_KEYS}


def plotly_separators(lang: str | None = None) -> str:
    """Plotly ``layout.separators``: decimal mark then thousands separator."""
    return "," + NBSP if lang_or_default(lang) == "sv" else ".,"


def format_month(value: object) -> str:
    """``2025-04`` from a date, a timestamp or ISO text; ``""`` for a missing date (None, NaT, NaN)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return ""
    return pd.Timestamp(value).strftime("%Y-%m")


def format_month_span(start: object, end: object) -> str:
    """``2025-04 – 2027-03``; an open end shows as ``2025-04 –``, an unknown start as ``– 2027-03``."""
    first, last = format_month(start), format_month(end)
    if not first and not last:
        return ""
    return f"{first} – {last}".strip()


def format_number(value: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """``1234567.8`` → ``'1 234 568'`` (sv, no-break spaces) or ``'1,234,568'`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_LOCALES[lang_or_default(lang)])


def format_sek(value: float | int | None, lang: str | None = None) -> str:
    """Whole kronor: ``'1 234 567 kr'`` / ``'SEK 1,234,567'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = format_number(round(value), lang)
    return f"{number}{NBSP}kr" if lang_or_default(lang) == "sv" else f"SEK{NBSP}{number}"


MNKR_DECIMALS = 1
"""Money labels in millions show one decimal (``24,3 mnkr``)."""


def round_half_up(value: int | float, unit: int = 1) -> int:
    """``value`` in whole ``unit`` s, halves rounded up (``round_half_up(24_250_000, 100_000)`` = 243).
    Integers (kronor) are rounded exactly; the money labels and :func:`largest_remainder`
    round the same way, so a whole and its apportioned parts agree."""
    if isinstance(value, float):
        return math.floor(Decimal(repr(value)) / unit + Decimal("0.5"))
    return (2 * int(value) + unit) // (2 * unit)


def largest_remainder(amounts: Sequence[int], unit: int = 1, *, total: int | None = None) -> list[int]:
    """Round each of ``amounts`` (integers, e.g. kronor) to whole ``unit`` s so that the
    rounded parts add up to ``total`` units — by default the rounded sum, which is what the
    whole shows (:func:`round_half_up`). Every part starts at its floor; the units left over
    go to the parts with the largest remainders (ties to the earlier part), so each part
    is its own value rounded down or up: within one unit of it.

    Labels only: the kronor underneath stay exact. A ``total`` outside what floors and
    ceilings can reach (another rounding of the same whole) is still met, by spreading
    the difference over the parts in the same order."""
    values = [int(a) for a in amounts]
    if not values:
        return []
    floors = [v // unit for v in values]  # floor division: also right for negative amounts
    target = round_half_up(sum(values), unit) if total is None else int(total)
    left = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i] * unit), i))
    out = list(floors)
    step = 1 if left >= 0 else -1
    if step < 0:
        order = order[::-1]  # take back from the smallest remainders first
    for k in range(abs(left)):
        out[order[k % len(order)]] += step
    return out


def _money_units(decimals: int) -> int:
    return 10 ** (6 - decimals)


def mnkr_units(value: int | float, decimals: int = MNKR_DECIMALS) -> int:
    """What :func:`format_mnkr` shows, in its last decimal (``24_349_999`` → 243)."""
    return round_half_up(value, _money_units(decimals))


def format_mnkr_units(units: int, lang: str | None = None, decimals: int = MNKR_DECIMALS) -> str:
    """A count of tenths of millions (with ``decimals=1``) as a money label: ``243`` → ``'24,3 mnkr'``."""
    number = format_decimal(
        Decimal(int(units)).scaleb(-decimals),
        format="#,##0." + "0" * decimals if decimals else "#,##0",
        locale=_LOCALES[lang_or_default(lang)],
    )
    return f"{number}{NBSP}mnkr" if lang_or_default(lang) == "sv" else f"SEK{NBSP}{number}m"


def format_mnkr(value: float | int | None, lang: str | None = None, decimals: int = MNKR_DECIMALS) -> str:
    """Millions of kronor: ``24 300 000`` → ``'24,3 mnkr'`` / ``'SEK 24.3m'`` (halves rounded up)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_mnkr_units(mnkr_units(value, decimals), lang, decimals)


def mnkr_part_units(
    amounts: Sequence[int], *, total_units: int | None = None, decimals: int = MNKR_DECIMALS
) -> list[int]:
    """The parts of a whole in the units of a money label, adding up to ``total_units``
    (default: what :func:`format_mnkr` shows for their sum); see :func:`largest_remainder`."""
    return largest_remainder(amounts, _money_units(decimals), total=total_units)


def mnkr_parts(
    amounts: Sequence[int], lang: str | None = None, *, total_units: int | None = None, decimals: int = MNKR_DECIMALS
) -> list[str]:
    """Money labels for parts shown beside their whole: they add up to the whole's label
    (``format_mnkr(sum(amounts))``, or ``total_units`` when the whole is shown otherwise)."""
    units = mnkr_part_units(amounts, total_units=total_units, decimals=decimals)
    return [format_mnkr_units(u, lang, decimals) for u in units]


def percent_part_units(amounts: Sequence[int], decimals: int = 1) -> list[int]:
    """Each amount's share of their sum in units of the last shown decimal of a percent
    (tenths of a percent by default), adding up to exactly 100 % (nothing when the sum is 0)."""
    whole = sum(int(a) for a in amounts)
    if whole <= 0:
        return [0 for _ in amounts]
    scale = 10 ** (2 + decimals)
    return largest_remainder([int(a) * scale for a in amounts], whole, total=scale)


def format_percent_units(units: int, lang: str | None = None, decimals: int = 1) -> str:
    """Units of :func:`percent_part_units` as a percent label (``256`` → ``'25,6 %'``)."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    number = format_decimal(
        Decimal(int(units)).scaleb(-decimals), format=pattern, locale=_LOCALES[lang_or_default(lang)]
    )
    return f"{number}{NBSP}%" if lang_or_default(lang) == "sv" else f"{number}%"


def percent_parts(amounts: Sequence[int], lang: str | None = None, decimals: int = 1) -> list[str]:
    """Percent labels of each amount's share of their sum that add up to 100 % (``–`` for all when the sum is 0)."""
    if sum(int(a) for a in amounts) <= 0:
        return ["–" for _ in amounts]
    return [format_percent_units(u, lang, decimals) for u in percent_part_units(amounts, decimals)]


def format_money_short(value: float | int | None, lang: str | None = None) -> str:
    """Compact money for labels: mnkr from one million, tkr below, kr under a thousand."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sv = lang_or_default(lang) == "sv"
    if abs(value) >= 1_000_000:
        return format_mnkr(value, lang)
    if abs(value) >= 1_000:
        number = format_number(value / 1_000, lang)
        return f"{number}{NBSP}tkr" if sv else f"SEK{NBSP}{number}k"
    return format_sek(value, lang)


def format_percent(share: float | None, lang: str | None = None, decimals: int = 1) -> str:
    """``0.256`` → ``'25,6 %'`` (sv) / ``'25.6%'`` (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    number = format_number(share * 100, lang, decimals)
    return f"{number}{NBSP}%" if lang_or_default(lang) == "sv" else f"{number}%"


def format_leverage(value: float | None, lang: str | None = None) -> str:
    """Hävstång, other capital per krona of 1:1: ``2.345`` → ``'2,3 kr/kr'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = format_number(value, lang, 1)
    return f"{number}{NBSP}kr/kr" if lang_or_default(lang) == "sv" else f"{number}{NBSP}SEK/SEK"


def status_label(status: str, lang: str | None = None) -> str:
    """Display name of a project status code."""
    return t(f"status.{status}", lang)


def source_label(source: str, lang: str | None = None) -> str:
    """Display name of a funding source category."""
    return t(f"source.{source}", lang)


def format_period(year_from: int | None, year_to: int | None, lang: str | None = None) -> str:
    """``(2024, 2024)`` → ``'2024'``; ``(2019, 2024)`` → ``'2019–2024'``; open ends read naturally."""
    if year_from is None and year_to is None:
        return t("period.all", lang)
    if year_from == year_to:
        return str(year_from)
    if year_from is None:
        return ("till och med " if lang_or_default(lang) == "sv" else "up to ") + str(year_to)
    if year_to is None:
        return ("från " if lang_or_default(lang) == "sv" else "from ") + str(year_from)
    return f"{year_from}–{year_to}"
