"""Unbounded request work, written as the attack: a 3,8 MB anonymous grid filter model
(100 000 OR conditions) took 69 s of CPU and 1,1 GB. Every callback now refuses an
oversized body (413) and the grid refuses requests outside its bounds (400), before any
query runs. Runs on the session database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest

from dashboard.components import ids
from dashboard.limits import MAX_CALLBACK_BYTES, MAX_CONDITIONS, MAX_ROWS_PER_BLOCK, MAX_SORT_KEYS, MAX_TEXT


def _payload(key: str, inputs: list[dict], state: list[dict]) -> dict:
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    return {"output": key, "outputs": outputs, "inputs": inputs, "state": state, "changedPropIds": []}


def _grid(app, request: dict, search: str | None = None) -> tuple[int, str]:
    key = next(k for k in app.callback_map if "getRowsResponse" in k)
    body = _payload(
        key,
        [{"id": ids.PROJECTS_GRID, "property": "getRowsRequest", "value": request}],
        [
            {"id": ids.FILTER_STORE, "property": "data", "value": ""},
            {"id": ids.PROJECTS_SEARCH, "property": "value", "value": search},
        ],
    )
    body["changedPropIds"] = [f"{ids.PROJECTS_GRID}.getRowsRequest"]
    response = app.server.test_client().post("/_dash-update-component", json=body)
    return response.status_code, response.get_data(as_text=True)


def test_every_callback_refuses_an_oversized_body(app) -> None:
    """Enumerate every registered callback: a body above the limit is refused unread (413)."""
    client = app.server.test_client()
    filler = "x" * (MAX_CALLBACK_BYTES + 1)
    assert app.callback_map, "the app registers callbacks"
    for key, spec in list(app.callback_map.items()):
        inputs = [{**i, "value": filler} for i in spec["inputs"][:1]]
        response = client.post("/_dash-update-component", json=_payload(key, inputs, []))
        assert response.status_code == 413, key


def test_the_attack_itself_is_refused_before_any_work(app) -> None:
    conditions = [{"type": "contains", "filter": f"x{i}"} for i in range(100_000)]
    model = {"title": {"filterType": "text", "operator": "OR", "conditions": conditions}}
    status, body = _grid(app, {"startRow": 0, "endRow": 100, "filterModel": model})
    assert status == 413 and "larger than" in body


@pytest.mark.parametrize(
    ("request_", "search", "reason"),
    [
        (
            {"filterModel": {"title": {"operator": "OR", "conditions": [{"filter": "a"}] * (MAX_CONDITIONS + 1)}}},
            None,
            f"at most {MAX_CONDITIONS} conditions",
        ),
        ({"filterModel": {"title": {"filter": "x" * (MAX_TEXT + 1)}}}, None, "longer than"),
        ({"filterModel": {"password_hash": {"filter": "a"}}}, None, "no column"),
        ({"filterModel": {"granted_sek": {"filterType": "number", "filter": "1 OR 1=1"}}}, None, "not a number"),
        ({"filterModel": {"title": {"type": "regexp", "filter": "a"}}}, None, "unknown filter type"),
        ({"sortModel": [{"colId": "title", "sort": "asc"}] * (MAX_SORT_KEYS + 1)}, None, "sort keys"),
        ({"sortModel": [{"colId": "id; drop table project", "sort": "asc"}]}, None, "unknown sort column"),
        ({"startRow": 0, "endRow": MAX_ROWS_PER_BLOCK + 1}, None, "rows per block"),
        ({"startRow": "a", "endRow": 10}, None, "whole numbers"),
        ({}, "s" * (MAX_TEXT + 1), "search longer than"),
    ],
)
def test_grid_requests_outside_the_bounds_are_400(app, request_: dict, search: str | None, reason: str) -> None:
    status, body = _grid(app, {"startRow": 0, "endRow": 100, **request_}, search)
    assert status == 400 and reason in body


def test_requests_inside_the_bounds_still_work(app) -> None:
    model = {
        "title": {"filterType": "text", "operator": "OR", "conditions": [{"type": "contains", "filter": "a"}] * 2},
        "granted_sek": {"filterType": "number", "type": "greaterThan", "filter": 0},
    }
    sort = [{"colId": "granted_sek", "sort": "desc"}, {"colId": "status", "sort": "asc"}]
    status, body = _grid(app, {"startRow": 0, "endRow": 100, "filterModel": model, "sortModel": sort}, "a")
    assert status == 200 and "rowData" in body
