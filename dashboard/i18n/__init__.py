"""UI strings (Swedish by default, English as a switch) and the one place
where numbers, money and dates are formatted (through Babel)."""

from __future__ import annotations

import math

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


def plotly_separators(lang: str | None = None) -> str:
    """Plotly ``layout.separators``: decimal mark then thousands separator."""
    return "," + NBSP if lang_or_default(lang) == "sv" else ".,"


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


def format_mnkr(value: float | int | None, lang: str | None = None, decimals: int = 1) -> str:
    """Millions of kronor: ``24 300 000`` → ``'24,3 mnkr'`` / ``'SEK 24.3m'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = format_number(value / 1_000_000, lang, decimals)
    return f"{number}{NBSP}mnkr" if lang_or_default(lang) == "sv" else f"SEK{NBSP}{number}m"


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
