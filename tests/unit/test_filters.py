"""The shared filter model and its URL form."""

from __future__ import annotations

import pytest

from dashboard.filters import FilterState, format_year_range, parse_query, parse_year_range, resolve, to_query

STATES = [
    FilterState(),
    FilterState(year_from=2024, year_to=2024),
    FilterState(year_from=2019, year_to=2024, theme=("energi",)),
    FilterState(year_from=2020, theme=("energi", "kompetens"), goal=("klimat",)),
    FilterState(year_to=2022, municipality=("1080", "1082"), status=("pagaende", "avslutat")),
    FilterState(source=("eruf", "private"), theme=("kultur",)),
]


@pytest.mark.parametrize("state", STATES)
def test_round_trip(state: FilterState) -> None:
    assert parse_query(to_query(state)) == state


@pytest.mark.parametrize("state", STATES)
def test_round_trip_through_mapping(state: FilterState) -> None:
    # Dash passes the query to layout(**query) as a dict of strings.
    from urllib.parse import parse_qsl

    as_dict = dict(parse_qsl(to_query(state).lstrip("?")))
    assert parse_query(as_dict) == state


def test_query_string_shape() -> None:
    state = FilterState(year_from=2023, year_to=2023, theme=("energi",), municipality=("1080", "1081"))
    assert to_query(state) == "?year=2023&theme=energi&municipality=1080,1081"
    assert to_query(FilterState()) == ""


def test_parse_tolerates_junk_and_duplicates() -> None:
    state = parse_query("?year=abc&theme=energi&theme=kultur,energi&foo=bar&goal=")
    assert state == FilterState(theme=("energi", "kultur"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", (2024, 2024)),
        ("2019-2024", (2019, 2024)),
        ("2024-2019", (2019, 2024)),
        ("2019-", (2019, None)),
        ("-2022", (None, 2022)),
        ("1800", (None, None)),
        ("", (None, None)),
    ],
)
def test_year_range(text: str, expected: tuple) -> None:
    assert parse_year_range(text) == expected
    lo, hi = expected
    if lo or hi:
        assert parse_year_range(format_year_range(lo, hi)) == expected


def test_resolve_maps_names_to_codes_and_drops_unknown() -> None:
    vocab = {"theme": {"energi": "energi", "kompetensförsörjning": "kompetens", "kompetens": "kompetens"}}
    state = parse_query("?year=2023&theme=Energi,Kompetensförsörjning,Okänt")
    resolved = resolve(state, vocab)
    assert resolved.theme == ("energi", "kompetens")
    assert resolved.year_from == 2023 and resolved.year_to == 2023


def test_with_values_normalises_lists() -> None:
    state = FilterState().with_values(theme=["energi", "energi", " kultur "], year_from=2020)
    assert state.theme == ("energi", "kultur")
    assert state.year_from == 2020
    assert not state.is_empty
    assert FilterState().is_empty
