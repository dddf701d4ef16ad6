"""Largest-remainder rounding: displayed parts add up to the displayed whole."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.i18n import (
    format_mnkr,
    largest_remainder,
    mnkr_parts,
    mnkr_units,
    percent_part_units,
    percent_parts,
    round_half_up,
)

NB = "\xa0"
UNITS = st.sampled_from([1, 10, 1_000, 100_000, 1_000_000])
KRONOR = st.lists(st.integers(min_value=0, max_value=5 * 10**10), max_size=40)


def _exact_round(value: int, unit: int) -> int:
    """Half-up rounding computed another way (fractions), to check the helper against."""
    q = Fraction(value, unit)
    floor = q.numerator // q.denominator
    return floor + (1 if q - floor >= Fraction(1, 2) else 0)


@settings(max_examples=400, deadline=None)
@given(amounts=KRONOR, unit=UNITS)
def test_parts_add_up_to_the_rounded_whole_and_stay_within_one_unit(amounts: list[int], unit: int) -> None:
    parts = largest_remainder(amounts, unit)
    assert len(parts) == len(amounts)
    if amounts:
        assert sum(parts) == _exact_round(sum(amounts), unit)
    for part, amount in zip(parts, amounts, strict=True):
        # within one unit of its own exact value: its floor or its ceiling
        assert abs(Fraction(part) - Fraction(amount, unit)) < 1
        assert abs(part - _exact_round(amount, unit)) <= 1


@settings(max_examples=200, deadline=None)
@given(amounts=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1, max_size=20), unit=UNITS)
def test_negative_amounts_too(amounts: list[int], unit: int) -> None:
    parts = largest_remainder(amounts, unit)
    assert sum(parts) == _exact_round(sum(amounts), unit)
    assert all(abs(Fraction(p) - Fraction(a, unit)) < 1 for p, a in zip(parts, amounts, strict=True))


@settings(max_examples=300, deadline=None)
@given(amounts=st.lists(st.integers(min_value=0, max_value=10**10), min_size=1, max_size=25), data=st.data())
def test_a_whole_shown_rounded_elsewhere_is_met_within_one_unit(amounts: list[int], data: st.DataObject) -> None:
    """A parent label apportioned at a higher level is its own floor or ceiling: the
    children can always be floors or ceilings that add up to it."""
    unit = 100_000
    whole = sum(amounts)
    total = data.draw(st.sampled_from(sorted({whole // unit, -(-whole // unit)})))
    parts = largest_remainder(amounts, unit, total=total)
    assert sum(parts) == total
    assert all(abs(Fraction(p) - Fraction(a, unit)) < 1 for p, a in zip(parts, amounts, strict=True))


@settings(max_examples=200, deadline=None)
@given(amounts=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=15))
def test_money_labels_add_up_to_the_whole_label(amounts: list[int]) -> None:
    labels = mnkr_parts(amounts)
    shown = [int(label.replace(NB + "mnkr", "").replace(NB, "").replace(",", "")) for label in labels]
    whole = format_mnkr(sum(amounts))
    assert sum(shown) == int(whole.replace(NB + "mnkr", "").replace(NB, "").replace(",", ""))
    assert sum(shown) == mnkr_units(sum(amounts))


@settings(max_examples=200, deadline=None)
@given(amounts=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=15))
def test_percent_labels_add_up_to_one_hundred(amounts: list[int]) -> None:
    units = percent_part_units(amounts)
    if sum(amounts) == 0:
        assert units == [0] * len(amounts)
        assert set(percent_parts(amounts)) == {"–"}
        return
    assert sum(units) == 1000
    for u, a in zip(units, amounts, strict=True):
        assert abs(Fraction(u) - Fraction(a * 1000, sum(amounts))) < 1


def test_examples() -> None:
    # 24,45 + 0,05 + 0,05 = 24,55 → 24,6 in all; rounded alone the parts would show 24,5 + 0,1 + 0,1 = 24,7
    # (halves up); apportioned they show 24,5 + 0,1 + 0,0 (ties to the earlier part)
    assert largest_remainder([24_450_000, 50_000, 50_000], 100_000) == [245, 1, 0]
    assert mnkr_parts([24_450_000, 50_000, 50_000]) == [f"24,5{NB}mnkr", f"0,1{NB}mnkr", f"0,0{NB}mnkr"]
    assert format_mnkr(24_550_000) == f"24,6{NB}mnkr"
    # halves round up (Babel alone would round 24,25 to 24,2)
    assert round_half_up(24_250_000, 100_000) == 243
    assert format_mnkr(24_250_000) == f"24,3{NB}mnkr"
    assert round_half_up(0.25, 1) == 0 and round_half_up(2.5, 1) == 3
    # thirds: 33,3 + 33,3 + 33,4 = 100,0 %
    assert percent_parts([1, 1, 1]) == [f"33,4{NB}%", f"33,3{NB}%", f"33,3{NB}%"]
    assert percent_parts([1, 1, 1], "en") == ["33.4%", "33.3%", "33.3%"]
    assert largest_remainder([], 10) == []
    # a whole rounded another way is still met exactly
    assert sum(largest_remainder([149_999, 149_999], 100_000, total=2)) == 2
