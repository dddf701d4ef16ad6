"""The one amount grammar (dashboard.amounts): Swedish forms read back exactly,
ambiguous forms refused with a message that says how the value was read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.amounts import DEFAULT_CEILING_SEK, format_sv, header_unit, parse_amount, to_kronor
from dashboard.importers.indicators import Problem

NBSPS = ("\u00a0", "\u202f", "\u2009")


def _group(n: int, sep: str) -> str:
    """``1234567`` with ``sep`` between groups of three."""
    text = str(n)
    head = len(text) % 3 or 3
    return sep.join([text[:head], *[text[i : i + 3] for i in range(head, len(text), 3)]])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234 567,50", 1_234_568),
        ("1\u00a0234\u00a0567", 1_234_567),
        ("1.234.567", 1_234_567),
        ("1.234,50", 1_235),
        ("250 tkr", 250_000),
        ("1,5 mnkr", 1_500_000),
        ("2,750 mnkr", 2_750_000),  # the comma is the decimal mark, also before three digits
        ("7,1 MNKR", 7_100_000),
        ("1,5 tkr", 1_500),
        ("500:-", 500),
        ("1 500,-", 1_500),
        ("1.500", 1_500),
        (" 7 100 000 kr ", 7_100_000),
        (12.5, 13),
        (1234, 1234),
        ("", 0),
        (None, 0),
    ],
)
def test_swedish_forms(raw, expected) -> None:
    assert parse_amount(raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "key", "sv_text"),
    [
        (
            "1,500",
            "amount_ambiguous_sv",
            "'1,500' lästes som 1,5 kr (komma är decimaltecken), men kronor har högst två",
        ),
        ("1.5", "amount_other_decimal_sv", "'1.5': punkt skiljer tusental på svenska"),
        ("1 234.5", "amount_other_decimal_sv", "skriv 1 234,5"),
        ("1,234,567", "amount_mark_twice_sv", "skriv tusental med mellanslag: 1 234 567"),
        ("1,234.50", "amount_other_convention_sv", "engelskt sätt"),
        ("12 34", "amount_groups", "tre och tre"),
        ("1 234.567", "amount_mixed_groups", "blandar mellanslag och punkt"),
        ("=SUM(A1:A3)", "amount_formula", "formel"),
        ("abc", "not_amount_example", "inget belopp"),
        ("1e5", "not_amount_example", "inget belopp"),
        (True, "not_amount_example", "inget belopp"),
        (float("nan"), "not_amount_example", "inget belopp"),
        ("99999999999999999999", "amount_too_large", "mer än taket på 100 000 000 000 kr"),
        (2e11, "amount_too_large", "taket"),
    ],
)
def test_refused_forms_say_how_they_were_read(raw, key, sv_text) -> None:
    value, err = parse_amount(raw)
    assert value is None and err is not None and err[0] == key
    assert sv_text in Problem.of("row 2", "Belopp", *err).text("sv")


def test_english_convention_is_an_explicit_choice() -> None:
    assert parse_amount("1,234,567.50", convention="en") == (1_234_568, None)
    assert parse_amount("2.75 mnkr", convention="en") == (2_750_000, None)
    assert parse_amount("1,5", convention="en")[1][0] == "amount_other_decimal_en"
    assert parse_amount("1.500", convention="en")[1][0] == "amount_ambiguous_en"
    assert parse_amount("1 234,50", convention="en")[1] == (
        "amount_other_decimal_en",
        {"value": "'1 234,50'", "suggest": "1 234.50"},
    )
    assert parse_amount("1.234,50", convention="en")[1][0] == "amount_other_convention_en"
    with pytest.raises(ValueError, match="convention"):
        parse_amount("1", convention="de")


def test_units_in_the_cell_win_over_the_column() -> None:
    assert header_unit("Beviljat 1:1 (tkr)") == 1_000 and header_unit("Belopp") is None
    assert parse_amount("250", unit=1_000) == (250_000, None)
    assert parse_amount("1,5 mnkr", unit=1_000) == (1_500_000, None)
    assert parse_amount("1,500", unit=1_000) == (1_500, None)  # 1,5 tkr: whole kronor, not ambiguous
    assert parse_amount(2.5, unit=1_000_000) == (2_500_000, None)


def test_one_rounding_rule_half_up() -> None:
    """Öre are rounded half up, the same for text, Excel numbers and the edit form."""
    assert [parse_amount(x)[0] for x in ("1234,5", "1234,49", "1234,51", "0,5", "2,5")] == [1235, 1234, 1235, 1, 3]
    assert [parse_amount(x)[0] for x in (1234.5, 0.5, 2.5)] == [1235, 1, 3]
    assert to_kronor(Decimal("-2.5")) == -3


def test_ceiling_is_configurable() -> None:
    assert parse_amount("1 000", ceiling=999)[1][0] == "amount_too_large"
    assert parse_amount("999", ceiling=999) == (999, None)
    assert parse_amount(str(DEFAULT_CEILING_SEK)) == (DEFAULT_CEILING_SEK, None)


amounts = st.integers(min_value=0, max_value=DEFAULT_CEILING_SEK)
separators = st.sampled_from([" ", ".", *NBSPS])


@given(amounts, separators, st.sampled_from(["", " kr", " SEK", ":-", ",-"]))
def test_whole_kronor_in_every_swedish_form_read_back(n: int, sep: str, unit: str) -> None:
    for text in (str(n), _group(n, sep), format_sv(n)):
        assert parse_amount(text + unit) == (n, None), text + unit


@given(amounts, st.integers(min_value=0, max_value=99), separators)
def test_kronor_and_ore_read_back_rounded_half_up(n: int, ore: int, sep: str) -> None:
    text = f"{_group(n, sep)},{ore:02d}"
    expected = n + (1 if ore >= 50 else 0)
    if expected <= DEFAULT_CEILING_SEK:
        assert parse_amount(text) == (expected, None)


@given(st.integers(min_value=0, max_value=100_000_000), st.integers(min_value=1, max_value=3))
def test_tkr_and_mnkr_with_decimals(thousands: int, decimals: int) -> None:
    """``x,yyy tkr`` is exact kronor; mnkr with up to three decimals too."""
    value = Decimal(thousands) / (10**decimals)
    text = format_sv(value.quantize(Decimal(1).scaleb(-decimals)))
    assert parse_amount(text + " tkr") == (to_kronor(value * 1000), None)
    if value * 1_000_000 <= DEFAULT_CEILING_SEK:
        assert parse_amount(text + " mnkr") == (int(value * 1_000_000), None)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_comma_before_three_digits_in_kronor_is_never_guessed(head: int, tail: int) -> None:
    """``1,500`` kr is one krona fifty in Swedish and fifteen hundred in English: refused."""
    value, err = parse_amount(f"{head},{tail:03d}")
    assert value is None and err is not None and err[0] == "amount_ambiguous_sv"


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_dot_decimals_are_never_guessed_in_swedish(whole: int, frac: int) -> None:
    text = f"{whole}.{frac}"
    value, err = parse_amount(text)
    assert value is None and err is not None


@given(st.text(max_size=30))
def test_any_text_parses_or_is_refused_never_crashes(text: str) -> None:
    value, err = parse_amount(text)
    assert (value is None) != (err is None)
    if value is not None:
        assert abs(value) <= DEFAULT_CEILING_SEK
