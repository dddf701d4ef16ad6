"""Writes, written as the attacks (issue 15, items 1 and 8), on SQLite and PostgreSQL.

* An empty POST to /_dash-update-component deleted a facilitator's note: the note
  callback wrote and deleted for anyone, with no size limit and no audit.
* One client posted 200 survey answers in 4 s by rotating made-up device ids; a 5 MB
  free-text "choice" was stored and shown as a clickable link on the results slide.

Every callback and every route that takes a write now declares who may call it
(dashboard/guards.py), checked on each request; the tests below enumerate the app's
registered callbacks and routes against those declarations, so a new one cannot be
added without declaring it.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

import pytest
from dash import Dash
from sqlalchemy import Engine, delete, func, insert, select

from dashboard import guards
from dashboard.components.slides import NOTE_CLEAR, NOTE_ID, NOTE_SAVE, RESULTS_TICK
from dashboard.config import Settings
from dashboard.decks import load_decks
from dashboard.limits import MAX_CALLBACK_BYTES
from dashboard.models import AuditEvent, SurveyAnswer, SurveySubmission, WorkshopNote
from dashboard.workshop import (
    MAX_NOTE_CHARS,
    MAX_TEXT_CHARS,
    SURVEY_LIMITS,
    AnswersRefused,
    address_key,
    device_from_token,
    issue_device_token,
    load_notes,
    save_answers,
    utcnow,
)

from ..conftest import scratch_pg_database, writable_demo

PASSWORD = "rätt-lösenord-123"
USERS = (
    ("facilitator", PASSWORD, "strategist", ("energi",)),
    ("admin", PASSWORD, "admin", ()),
    ("lasare", PASSWORD, "viewer", ()),
)
DECK, SLIDE = "standard", "diskussion-slutsatser"
META = {"deck": DECK, "slide": SLIDE}
SURVEY = "larandedag-2024"
PER_MINUTE = SURVEY_LIMITS[0][1]


@dataclass(frozen=True)
class Site:
    """An app on its own writable demo database."""

    app: Dash
    engine: Engine
    settings: Settings

    @property
    def secret(self) -> str:
        return self.app.server.secret_key


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A demo database with a facilitator (strategist), an admin and a viewer, and its app."""
    from dashboard import create_app

    if request.param == "sqlite":
        url: str | None = f"sqlite:///{Path(tmp_path_factory.mktemp('writes')) / 'writes.sqlite'}"
    else:
        url = scratch_pg_database("rus_writes")
        if url is None:
            pytest.skip("no PostgreSQL server answers")
    settings, engine = writable_demo(url, 20, USERS)
    app = create_app(settings)
    app.server.test_client().get("/")  # Dash registers its page router on the first request
    yield Site(app, engine, settings)
    engine.dispose()


@pytest.fixture(autouse=True)
def _clean(request: pytest.FixtureRequest) -> None:
    """Each test starts with no notes, answers, submissions or audit events."""
    if "site" not in request.fixturenames:
        return
    site: Site = request.getfixturevalue("site")
    with site.engine.begin() as conn:
        for table in (WorkshopNote, SurveyAnswer, SurveySubmission, AuditEvent):
            conn.execute(delete(table))


# --------------------------------------------------------------------------- requests as Dash sends them


def _login(client, username: str) -> str:
    """Log ``client`` in; returns the CSRF token the renderer would send."""
    page = client.get("/login?next=/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303 and "error" not in response.headers["Location"], username
    return client.get_cookie("_csrf_token").value


def _key(app: Dash, part: str) -> str:
    """The callback map key (what the renderer posts as ``output``): ``part`` itself, or the one key containing it."""
    if part in app.callback_map:
        return part
    keys = [k for k in app.callback_map if part in k]
    assert len(keys) == 1, (part, keys)
    return keys[0]


def _body(key: str, inputs: list, state: list) -> dict:
    """A callback request as the Dash renderer builds it."""
    specs = [o.rsplit(".", 1) for o in key.strip(".").split("...")]
    outputs = [{"id": i, "property": p} for i, p in specs]
    changed = [f"{i['id']}.{i['property']}" for i in inputs if isinstance(i, dict) and "value" in i]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }


def _post(client, key: str, inputs: list, state: list, csrf: str | None = None, address: str = "192.0.2.1"):
    headers = {"X-CSRFToken": csrf} if csrf else {}
    return client.post(
        "/_dash-update-component",
        json=_body(key, inputs, state),
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def _save_note(site: Site, client, text: object = None, csrf: str | None = None, meta: object = META):
    note = {"id": NOTE_ID, "property": "value"}
    if text is not None:
        note["value"] = text
    return _post(
        client,
        _key(site.app, "slide-note-status.children"),
        [{"id": NOTE_SAVE, "property": "n_clicks", "value": 1}],
        [note, {"id": "slide-meta", "property": "data", "value": meta}],
        csrf,
    )


def _clear_note(site: Site, client, csrf: str | None = None):
    return _post(
        client,
        _key(site.app, f"{NOTE_ID}.value"),
        [{"id": NOTE_CLEAR, "property": "submit_n_clicks", "value": 1}],
        [{"id": "slide-meta", "property": "data", "value": META}],
        csrf,
    )


def _notes(site: Site) -> list[str]:
    return load_notes(site.engine, deck=DECK, slide=SLIDE, year=date.today().year)["text"].tolist()


def _audit(site: Site) -> list[tuple[str, str, str | None, str | None]]:
    with site.engine.connect() as conn:
        rows = conn.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.before_json, AuditEvent.after_json).order_by(
                AuditEvent.id
            )
        )
        return [tuple(r) for r in rows]


def _text(response) -> str:
    """A callback's JSON answer as text (with å, ä, ö and no-break spaces as themselves)."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def _page(site: Site, client, path: str, csrf: str | None = None) -> dict:
    """The page at ``path`` as the router callback serves it (the component tree)."""
    response = _post(
        client,
        _key(site.app, "_pages_content.children"),
        [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        [],
        csrf,
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]["_pages_content"]["children"]


def _find(tree: object, component_id: str) -> dict | None:
    """The component with ``component_id`` in a serialised component tree."""
    if isinstance(tree, list):
        return next((f for f in (_find(x, component_id) for x in tree) if f), None)
    if isinstance(tree, dict):
        props = tree.get("props") or {}
        if props.get("id") == component_id:
            return tree
        return _find(props.get("children"), component_id)
    return None


FIELD = "survey-field"


def _field(q: str, target: str = "") -> dict:
    return {"type": FIELD, "q": q, "target": target}


def _send(site: Site, client, fields: list[tuple[dict, object]], token: object, address: str, fresh: object = None):
    """The survey form's Send, with ``fields`` as (field id, value)."""
    return _post(
        client,
        _key(site.app, "survey-result.children"),
        [{"id": "survey-send", "property": "n_clicks", "value": 1}],
        [
            [{"id": fid, "property": "value", "value": value} for fid, value in fields],
            [{"id": fid, "property": "id", "value": fid} for fid, _ in fields],
            {"id": "survey-deck", "property": "data", "value": SURVEY},
            {"id": "survey-token", "property": "data", "value": token},
            {"id": "survey-fresh-token", "property": "data", "value": fresh},
        ],
        address=address,
    )


def _answers(site: Site) -> int:
    with site.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(SurveyAnswer)).scalar_one()


def _devices(site: Site) -> int:
    with site.engine.connect() as conn:
        return conn.execute(select(func.count(func.distinct(SurveyAnswer.device)))).scalar_one()


# --------------------------------------------------------------------------- every callback and route declares


def test_every_registered_callback_declares_who_may_call_it(site: Site) -> None:
    registered: dict[str, list[str]] = {}
    clientside = []
    for output, spec in site.app.callback_map.items():
        func_ = spec.get("callback")
        if func_ is None:
            clientside.append(output)  # runs in the browser; the server has nothing to run for it
            continue
        registered.setdefault(guards.callback_key(func_), []).append(output)
    assert "dash.dash.update" in registered and "dashboard.pages.slides.on_save_note" in registered
    missing = sorted(set(registered) - set(guards.CALLBACKS))
    assert not missing, f"callbacks that declare no guard (add them to dashboard/guards.py CALLBACKS): {missing}"
    stale = sorted(set(guards.CALLBACKS) - set(registered))
    assert not stale, f"declarations for callbacks that no longer exist: {stale}"
    for key, guard in guards.CALLBACKS.items():
        assert not guard.writes or guard.roles or guard.why, f"{key} writes for anyone without saying why"
    client = site.app.server.test_client()
    for output in clientside:
        assert _post(client, output, [], []).status_code == 404, output


def test_every_route_that_takes_a_write_declares_a_guard(site: Site) -> None:
    rules = {r.rule for r in site.app.server.url_map.iter_rules() if set(r.methods or ()) - guards.SAFE_METHODS}
    assert guards.DISPATCH_RULE in rules
    missing = sorted(rules - set(guards.ROUTES))
    assert not missing, f"POST routes that declare no guard (add them to dashboard/guards.py ROUTES): {missing}"
    assert not sorted(set(guards.ROUTES) - rules), "declarations for routes that no longer exist"


def test_an_undeclared_callback_or_route_is_refused_at_call_time(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    client = site.app.server.test_client()
    key = _key(site.app, "shell-nav-links.children")
    inputs = [{"id": "shell-filter-store", "property": "data", "value": ""}]
    assert _post(client, key, inputs, []).status_code == 200
    callbacks = {k: v for k, v in guards.CALLBACKS.items() if k != "dashboard.shell.update_nav_links"}
    monkeypatch.setattr(guards, "CALLBACKS", MappingProxyType(callbacks))
    response = _post(client, key, inputs, [])
    assert response.status_code == 403 and "declares no guard" in response.get_data(as_text=True)
    assert _post(client, "no-such-output.children", [], []).status_code == 404
    csrf = _login(client, "lasare")
    monkeypatch.setattr(guards, "ROUTES", MappingProxyType({guards.DISPATCH_RULE: guards.PER_CALLBACK}))
    assert client.post("/auth/logout", data={"csrf_token": csrf}).status_code == 403


def test_roles_are_checked_before_the_callback_runs(site: Site) -> None:
    """A viewer may not keep notes; a strategist may not delete projects; nobody anonymous imports."""
    viewer = site.app.server.test_client()
    csrf = _login(viewer, "lasare")
    assert _save_note(site, viewer, "Läsaren skriver", csrf).status_code == 403
    strategist = site.app.server.test_client()
    csrf = _login(strategist, "facilitator")
    delete_key = _key(site.app, "edit-result.children@")
    inputs = [{"id": "edit-confirm-delete", "property": "submit_n_clicks", "value": 1}]
    state = [{"id": "edit-mode", "property": "data", "value": {"new": False, "reference": "DEMO-0001"}}]
    assert _post(strategist, delete_key, inputs, state, csrf).status_code == 403
    anonymous = site.app.server.test_client()
    confirm = _key(site.app, "..import-result.children...import-confirm.disabled@")
    assert (
        _post(anonymous, confirm, [{"id": "import-confirm", "property": "n_clicks", "value": 1}], []).status_code == 403
    )
    assert _notes(site) == [] and _audit(site) == []


# --------------------------------------------------------------------------- notes


def test_the_empty_post_that_deleted_a_note_is_refused(site: Site) -> None:
    facilitator = site.app.server.test_client()
    csrf = _login(facilitator, "facilitator")
    saved = _save_note(site, facilitator, "Rummet vill se fler projekt om hälsa.", csrf)
    assert saved.status_code == 200 and "Sparat" in _text(saved)
    # The attack: the renderer's request with no text, from a browser with no login.
    attack = {
        "output": "slide-note-status.children",
        "outputs": {"id": "slide-note-status", "property": "children"},
        "inputs": [{"id": "slide-note-save", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["slide-note-save.n_clicks"],
        "state": [{"id": "slide-note", "property": "value"}, {"id": "slide-meta", "property": "data", "value": META}],
    }
    response = site.app.server.test_client().post("/_dash-update-component", json=attack)
    assert response.status_code == 403
    assert _notes(site) == ["Rummet vill se fler projekt om hälsa."]
    assert [(a, b) for a, b, *_ in _audit(site)] == [("facilitator", "note-save")]


def test_an_empty_text_deletes_nothing_until_the_facilitator_clears(site: Site) -> None:
    client = site.app.server.test_client()
    csrf = _login(client, "facilitator")
    _save_note(site, client, "Behåll mig", csrf)
    for empty in (None, "", "   \n "):
        response = _save_note(site, client, empty, csrf)
        assert response.status_code == 200 and "Använd Rensa" in _text(response)
    assert _notes(site) == ["Behåll mig"]
    cleared = _clear_note(site, client, csrf)
    assert cleared.status_code == 200 and "borttagen" in _text(cleared)
    assert _notes(site) == []
    actor, action, before, after = _audit(site)[-1]
    assert (actor, action, json.loads(before), after) == ("facilitator", "note-clear", {"text": "Behåll mig"}, None)
    assert _clear_note(site, site.app.server.test_client()).status_code == 403, "clearing needs the login too"


def test_a_note_has_a_size_limit(site: Site) -> None:
    client = site.app.server.test_client()
    csrf = _login(client, "admin")
    response = _save_note(site, client, "x" * (MAX_NOTE_CHARS + 1), csrf)
    assert response.status_code == 200 and "högst 10\u00a0000" in _text(response)
    assert _notes(site) == []
    assert "Sparat" in _text(_save_note(site, client, "y" * MAX_NOTE_CHARS, csrf))
    assert _notes(site) == ["y" * MAX_NOTE_CHARS]
    assert _audit(site)[0][:2] == ("admin", "note-save")


@pytest.mark.parametrize(
    "meta",
    [
        {"deck": DECK, "slide": "title"},
        {"deck": "okänt", "slide": SLIDE},
        {"deck": "x" * 5000, "slide": SLIDE},
        {"deck": DECK},
        ["standard"],
        None,
    ],
)
def test_a_note_only_goes_to_a_discussion_slide_of_a_deck(site: Site, meta: object) -> None:
    client = site.app.server.test_client()
    csrf = _login(client, "facilitator")
    response = _save_note(site, client, "Hit?", csrf, meta=meta)
    assert response.status_code in (200, 204)
    with site.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(WorkshopNote)).scalar_one() == 0


def test_the_notes_and_their_export_are_for_facilitators(site: Site) -> None:
    facilitator = site.app.server.test_client()
    csrf = _login(facilitator, "facilitator")
    _save_note(site, facilitator, "Hemlig slutsats från rummet", csrf)
    anonymous = site.app.server.test_client()
    export = _key(site.app, "presentation-download.data")
    inputs = [{"id": "presentation-export", "property": "n_clicks", "value": 1}]
    assert _post(anonymous, export, inputs, []).status_code == 403
    viewer = site.app.server.test_client()
    assert _post(viewer, export, inputs, [], _login(viewer, "lasare")).status_code == 403
    for path in ("/presentation", f"/presentation/{DECK}/{_discussion_number(site)}"):
        shown = json.dumps(_page(site, anonymous, path), ensure_ascii=False)
        assert "Hemlig slutsats" not in shown and "Logga in" in shown, path
        assert "Hemlig slutsats" in json.dumps(_page(site, facilitator, path, csrf), ensure_ascii=False), path
    response = _post(facilitator, export, inputs, [], csrf)
    assert response.status_code == 200
    import base64
    import io

    from openpyxl import load_workbook

    content = base64.b64decode(response.get_json()["response"]["presentation-download"]["data"]["content"])
    notes = [r[3] for r in load_workbook(io.BytesIO(content))["Anteckningar"].iter_rows(min_row=2, values_only=True)]
    assert notes == ["Hemlig slutsats från rummet"]


def _discussion_number(site: Site) -> int:
    from dashboard.queries.common import load_vocabulary

    slides = load_decks()[DECK].slides(load_vocabulary(site.engine).goal_codes())
    return next(i for i, s in enumerate(slides, 1) if s.key == SLIDE)


# --------------------------------------------------------------------------- the survey


def _token(site: Site) -> str:
    """A device token as the server issues it with the survey page."""
    return issue_device_token(site.secret)


def test_the_survey_page_carries_a_signed_device_token(site: Site) -> None:
    page = _page(site, site.app.server.test_client(), f"/enkat/{SURVEY}")
    stored, fresh = _find(page, "survey-token")["props"], _find(page, "survey-fresh-token")["props"]
    assert stored["storage_type"] == "local" and stored["data"] == fresh["data"]
    assert device_from_token(site.secret, stored["data"])
    again = _find(_page(site, site.app.server.test_client(), f"/enkat/{SURVEY}"), "survey-token")["props"]["data"]
    assert device_from_token(site.secret, again) != device_from_token(site.secret, stored["data"])


def test_200_answers_with_rotating_made_up_device_ids_are_refused(site: Site) -> None:
    client = site.app.server.test_client()
    fields = [(_field("nasta-steg"), "Mer samverkan")]
    for _ in range(200):
        made_up = uuid.uuid4().hex  # what the page used to keep as its device id
        response = _send(site, client, fields, made_up, "198.51.100.7", fresh=uuid.uuid4().hex)
        assert response.status_code == 200 and "laddas om" in _text(response)
    assert _answers(site) == 0 and _audit(site) == []


def test_200_answers_from_one_address_are_limited(site: Site) -> None:
    """Even with 200 tokens the server issued (a client can load the page 200 times), one
    address gets :data:`PER_MINUTE` submissions a minute; another address is not held up."""
    client = site.app.server.test_client()
    fields = [(_field("nasta-steg"), "Mer samverkan")]
    busy = 0
    for _ in range(200):
        text = _text(_send(site, client, fields, _token(site), "198.51.100.8"))
        busy += "Många svar" in text
    assert _devices(site) == PER_MINUTE and busy == 200 - PER_MINUTE
    ok = _text(_send(site, client, fields, _token(site), "198.51.100.9"))
    assert "Tack! 1 svar sparade." in ok
    actors = {a for a, *_ in _audit(site)}
    assert actors == {"survey"} and len(_audit(site)) == PER_MINUTE + 1


def test_the_limit_is_shared_through_the_database_and_lets_go_after_a_minute(site: Site) -> None:
    deck = load_decks()[SURVEY]
    address = address_key(site.secret, "198.51.100.10")
    answers = [{"question": "nasta-steg", "target": "", "choice": "Mer samverkan"}]
    start = utcnow()
    kwargs = {"address": address, "goals": [], "themes": []}
    for i in range(PER_MINUTE):
        save_answers(site.engine, deck, f"{i:032x}", answers, now=start, **kwargs)
    with pytest.raises(AnswersRefused) as refused:
        save_answers(site.engine, deck, "f" * 32, answers, now=start + timedelta(seconds=59), **kwargs)
    assert refused.value.reason == "busy"
    assert save_answers(site.engine, deck, "f" * 32, answers, now=start + timedelta(seconds=61), **kwargs) == 1


def test_a_5_mb_choice_is_refused(site: Site) -> None:
    client = site.app.server.test_client()
    huge = "A" * (5 * 1024 * 1024)
    assert len(huge) > MAX_CALLBACK_BYTES
    response = _send(site, client, [(_field("nasta-steg"), huge)], _token(site), "198.51.100.11")
    assert response.status_code == 413, "refused before it is read"
    assert _answers(site) == 0
    deck = load_decks()[SURVEY]
    for answer in ({"question": "nasta-steg", "choice": huge}, {"question": "vit-flack", "text": huge}):
        with pytest.raises(AnswersRefused):
            save_answers(site.engine, deck, "a" * 32, [answer], address="x", goals=[], themes=[])
    assert _answers(site) == 0


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ([(_field("nasta-steg"), "Bygg en ny hamn")], "kunde inte tas emot"),  # not among the options
        ([(_field("nasta-steg"), "klimat")], "kunde inte tas emot"),  # a goal code, not an option
        ([(_field("betyg-tema", "kultur"), 4)], "kunde inte tas emot"),  # a theme the deck does not rate
        ([(_field("betyg-tema", "energi"), 6)], "kunde inte tas emot"),
        ([(_field("betyg-tema", "energi"), "4")], "kunde inte tas emot"),
        ([(_field("betyg-tema", "energi"), True)], "kunde inte tas emot"),
        ([(_field("finns-inte"), "svar")], "kunde inte tas emot"),
        ([(_field("vit-flack"), ["lista"])], "kunde inte tas emot"),
        ([(_field("vit-flack"), "ett"), (_field("vit-flack"), "två")], "kunde inte tas emot"),
        ([(_field("vit-flack"), "x" * (MAX_TEXT_CHARS + 1))], "högst 2\u00a0000 tecken"),
    ],
)
def test_answers_outside_the_deck_are_refused(site: Site, fields: list, reason: str) -> None:
    fields = [*fields, (_field("betyg-tema", "kompetens"), 3)]  # a good answer in the same submission
    response = _send(site, site.app.server.test_client(), fields, _token(site), "198.51.100.12")
    assert response.status_code == 200 and reason in _text(response)
    assert _answers(site) == 0, "a refused submission stores nothing"


def test_a_free_text_of_the_full_length_is_taken(site: Site) -> None:
    fields = [(_field("vit-flack"), "x" * MAX_TEXT_CHARS), (_field("nasta-steg"), "Större projekt")]
    response = _send(site, site.app.server.test_client(), fields, _token(site), "198.51.100.13")
    assert "Tack! 2 svar sparade." in _text(response)
    [(actor, action, before, after)] = _audit(site)
    assert (actor, action, before) == ("survey", "survey-answer", None)
    assert json.loads(after)["answers"][1] == {"question": "nasta-steg", "target": "", "choice": "Större projekt"}
    assert "198.51.100.13" not in after


def test_a_link_in_free_text_is_shown_as_plain_text(site: Site) -> None:
    link = '<a href="https://evil.example/">Klicka här</a> https://evil.example/ [x](https://evil.example/)'
    client = site.app.server.test_client()
    response = _send(site, client, [(_field("vit-flack"), link)], _token(site), "198.51.100.14")
    assert "Tack! 1 svar sparade." in _text(response)
    # An answer stored before the checks existed: a free "choice" with markup.
    with site.engine.begin() as conn:
        conn.execute(
            insert(SurveyAnswer).values(deck=SURVEY, question="nasta-steg", target="", device="old", choice=link[:200])
        )
    results = _key(site.app, "slide-results-graph.figure")
    inputs = [{"id": RESULTS_TICK, "property": "n_intervals", "value": 1}]
    for question in ("vit-flack", "nasta-steg"):
        meta = {"id": "slide-meta", "property": "data", "value": {"deck": SURVEY, "slide": f"resultat-{question}"}}
        out = _post(client, results, inputs, [meta]).get_json()["response"]
        items = out["slide-results-texts"]["children"]
        if question == "vit-flack":
            assert [i["props"]["children"] for i in items] == [link], "plain strings in list items"
            assert {i["type"] for i in items} == {"Li"}
        else:
            labels = out["slide-results-graph"]["figure"]["data"][0]["y"]
            assert labels == [html.escape(link, quote=False)], "Plotly shows the markup as text"
            assert "<a" not in json.dumps(out)


def test_the_writing_callbacks_check_their_guard_themselves_too(site: Site) -> None:
    """Called without the request hook (a plain call, anonymous), a guarded callback writes nothing."""
    from dash.exceptions import PreventUpdate

    from dashboard.pages import presentation, slides, survey

    with site.app.server.test_request_context("/"):
        with pytest.raises(PreventUpdate):
            slides.on_save_note(1, "Utan inloggning", META)
        with pytest.raises(PreventUpdate):
            slides.on_clear_note(1, META)
        with pytest.raises(PreventUpdate):
            presentation.on_export(1)
        assert survey.on_send.__wrapped__.__name__ == "on_send", "public, but declared and wrapped"
    assert _notes(site) == [] and _audit(site) == []
