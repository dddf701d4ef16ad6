"""One Swedish number formatter (Babel), English as a switch."""

from __future__ import annotations

import math

from dashboard.i18n import (
    format_leverage,
    format_mnkr,
    format_money_short,
    format_percent,
    format_period,
    format_sek,
    plotly_separators,
    t,
)

NB = "\xa0"


def test_swedish_money() -> None:
    assert format_sek(1_234_567) == f"1{NB}234{NB}567{NB}kr"
    assert format_sek(0) == f"0{NB}kr"
    assert format_mnkr(24_300_000) == f"24,3{NB}mnkr"
    assert format_mnkr(100_000) == f"0,1{NB}mnkr"
    assert format_money_short(450_000) == f"450{NB}tkr"
    assert format_sek(float("nan")) == "–"


def test_english_money() -> None:
    assert format_sek(1_234_567, "en") == f"SEK{NB}1,234,567"
    assert format_mnkr(24_300_000, "en") == f"SEK{NB}24.3m"


def test_percent_and_leverage() -> None:
    assert format_percent(0.256) == f"25,6{NB}%"
    assert format_percent(0.256, "en") == "25.6%"
    assert format_leverage(2.345) == f"2,3{NB}kr/kr"
    assert format_leverage(math.nan) == "–"


def test_periods() -> None:
    assert format_period(None, None) == "alla år"
    assert format_period(2024, 2024) == "2024"
    assert format_period(2019, 2024) == "2019–2024"
    assert format_period(2020, None, "en") == "from 2020"


def test_strings_fall_back_and_format() -> None:
    assert t("nav.overview") == "Översikt"
    assert t("nav.overview", "en") == "Overview"
    assert t("nav.overview", "xx") == "Översikt"
    assert t("overview.donut.title", period="2024") == "Beviljat anslag 1:1 per mål, 2024"
    assert plotly_separators("sv") == f",{NB}"


def test_every_english_key_exists_in_swedish() -> None:
    from dashboard.i18n.en import STRINGS as EN
    from dashboard.i18n.sv import STRINGS as SV

    assert set(EN) <= set(SV)
    assert set(SV) - set(EN) == set(), "every Swedish string needs an English translation"


def test_every_problem_the_importers_raise_has_both_languages() -> None:
    """Import and edit problems are shown in the page's language: each key they use
    (``Problem.of(…, "key")``, ``("key", {…})`` from the parsers, ``unknown_<kind>``)
    has a Swedish and an English text with the same placeholders."""
    import re
    import string
    from pathlib import Path

    from dashboard.i18n.en import STRINGS as EN
    from dashboard.i18n.sv import STRINGS as SV

    root = Path(__file__).resolve().parents[2] / "dashboard"
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in [*root.glob("importers/*.py"), root / "editing.py", root / "pages" / "importer.py"]
    )
    used = set(re.findall(r'Problem\.of\(\s*[^,]+,\s*[^,]+,\s*"([a-z_]+)"', source))
    used |= set(re.findall(r'return (?:None|\[\]), \("([a-z_]+)", \{', source))
    used |= {f"unknown_{kind}{hint}" for kind in re.findall(r'_unknown\("([a-z]+)"', source) for hint in ("", "_hint")}
    assert len(used) > 30, "the patterns still find the problems"
    for key in sorted(used):
        sv, en = SV.get(f"problem.{key}"), EN.get(f"problem.{key}")
        assert sv and en, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (sv, en)]
        assert fields[0] == fields[1], key
