"""Attacks on logins and sessions, written as the attack, on SQLite and on PostgreSQL.

- a session cookie copied before a logout, a password change, a deactivation or a role
  change is replayed afterwards: it must be refused;
- passwords are guessed: past 5 failures for a user name or 20 from an address the login
  is refused for a while, even with the right password, in every worker process;
- user names are probed: an unknown name costs the same hashing work as a known one;
- an account is given a common or simple password: refused, on the command line too;
- viewing requires a login and paths that only start like the open ones (``/loginx``,
  ``/auth/x``, ``/favicon.x``, ``/assets/``) are asked for: redirect or 401, never the app;
- the page Dash serves embeds every page's layout: no note text, profile name or user
  name in it, and its size does not follow the data.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert, update
from werkzeug.security import generate_password_hash

from dashboard import auth
from dashboard.auth import (
    DUMMY_HASH,
    FAILURE_WINDOW,
    MAX_ADDRESS_FAILURES,
    MAX_USER_FAILURES,
    AuthError,
    create_user,
    update_user,
)
from dashboard.cli import main
from dashboard.models import AuditEvent, ImportProfile, LoginFailure, User, WorkshopNote

from ..conftest import scratch_pg_database, writable_demo

PASSWORD = "Gröna-Hagar-i-Listerby"
NEW_PASSWORD = "Blå-Kustlinje-vid-Hanö"
# A goal of the strategy tree: it must not reach an anonymous visitor when viewing requires a login.
GOAL_NAME = "Fler Blekingebor i arbete"
_names = itertools.count(1)


@dataclass(frozen=True)
class Site:
    """One demo database and two apps on it: open viewing and login-only (like two workers)."""

    url: str
    settings: Any
    engine: Engine
    open: Any
    closed: Any


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    from dashboard import create_app

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sessions') / 'sessions.sqlite'}"
    else:
        url = scratch_pg_database("rus_sessions")
        if url is None:
            pytest.skip("no PostgreSQL server answers")
    settings, engine = writable_demo(url, 20)
    return Site(url, settings, engine, create_app(settings), create_app(replace(settings, require_login=True)))


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Failed logins are slowed down; the tests record the pauses instead of sleeping them."""
    pauses: list[float] = []
    monkeypatch.setattr(auth, "_pause", pauses.append)
    return pauses


@pytest.fixture(autouse=True)
def _no_failures(site: Site) -> None:
    with site.engine.begin() as conn:
        conn.execute(LoginFailure.__table__.delete())


def _user(site: Site, role: str = "strategist", themes: tuple[str, ...] = ("energi",), *, cheap: bool = False) -> str:
    """A new user with PASSWORD. ``cheap``: a fast hash (pbkdf2, 1 000 rounds), for tests that
    make many attempts and are about counting them, not about hashing."""
    name = f"user{next(_names)}"
    create_user(site.engine, name, PASSWORD, role, list(themes))
    if cheap:
        with site.engine.begin() as conn:
            fast = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
            conn.execute(update(User).where(User.username == name).values(password_hash=fast))
    return name


def _client(app: Any, address: str = "192.0.2.1") -> Any:
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client: Any, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/login?next=/import")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token, "next": "/import"}
    )


def _logged_in(client: Any) -> bool:
    """True when the client's session opens a page only a logged-in user may open."""
    return client.get("/import").status_code == 200


def _replay(app: Any, cookie: str) -> Any:
    """A fresh client (another machine) carrying a copied session cookie."""
    thief = _client(app, "198.51.100.7")
    thief.set_cookie("rus_session", cookie)
    return thief


def _session_cookie(client: Any) -> str:
    return client.get_cookie("rus_session").value


# --------------------------------------------------------------------------- sessions end


def test_a_cookie_copied_before_logout_is_refused_after_it(site: Site) -> None:
    name = _user(site)
    victim = _client(site.open)
    assert _login(victim, name).headers["Location"] == "/import"
    copied = _session_cookie(victim)
    assert _logged_in(_replay(site.open, copied)), "before the logout the copy works (it is the same session)"
    token = victim.get_cookie("_csrf_token").value
    assert victim.post("/auth/logout", data={"csrf_token": token}).status_code == 303
    thief = _replay(site.open, copied)
    response = thief.get("/import")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    closed = _replay(site.closed, copied)
    assert closed.get("/").status_code == 302 and closed.get("/_dash-layout").status_code == 401


def test_a_replayed_old_cookie_cannot_log_the_user_out_again(site: Site) -> None:
    """The old cookie still carries its CSRF token; posting it to /auth/logout must not end
    the session the user has started since."""
    name = _user(site)
    victim = _client(site.open)
    _login(victim, name)
    copied, token = _session_cookie(victim), victim.get_cookie("_csrf_token").value
    victim.post("/auth/logout", data={"csrf_token": token})
    _login(victim, name)
    thief = _replay(site.open, copied)
    thief.set_cookie("_csrf_token", token)
    thief.post("/auth/logout", data={"csrf_token": token})
    assert _logged_in(victim), "the user's new session survives"


def test_a_password_change_in_another_session_ends_the_old_cookie(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    name = _user(site)
    laptop, phone = _client(site.open), _client(site.open, "192.0.2.2")
    _login(laptop, name)
    _login(phone, name)
    copied = _session_cookie(laptop)
    # the password is changed elsewhere (an administrator on the command line)
    monkeypatch.setenv("DATABASE_URL", site.engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    assert main(["users", "set", name, "--password-stdin"]) == 0
    assert not _logged_in(_replay(site.open, copied))
    assert not _logged_in(laptop) and not _logged_in(phone)
    assert _login(laptop, name).headers["Location"].endswith("error=1"), "the old password is gone"
    assert _login(laptop, name, NEW_PASSWORD).headers["Location"] == "/import"
    assert _logged_in(laptop)


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"role": "viewer"}, {"themes": ["kultur"]}],
    ids=["deactivated", "role", "themes"],
)
def test_deactivation_and_role_changes_end_sessions(site: Site, change: dict) -> None:
    name = _user(site)
    client = _client(site.open)
    _login(client, name)
    copied = _session_cookie(client)
    assert _logged_in(client)
    update_user(site.engine, name, **change)
    assert not _logged_in(client) and not _logged_in(_replay(site.open, copied))
    closed = _replay(site.closed, copied)
    assert closed.get("/_dash-layout").status_code == 401


def test_log_out_everywhere_from_the_command_line(site: Site, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    name = _user(site, "admin", ())
    client = _client(site.open)
    _login(client, name)
    monkeypatch.setenv("DATABASE_URL", site.engine.url.render_as_string(hide_password=False))
    assert main(["users", "logout", name]) == 0
    assert "every session" in capsys.readouterr().out
    assert not _logged_in(client)
    assert main(["users", "logout", "ingen-sådan"]) == 1


def test_an_unchanged_setting_keeps_the_session(site: Site) -> None:
    name = _user(site)
    client = _client(site.open)
    _login(client, name)
    update_user(site.engine, name, role="strategist", themes=["energi"], active=True)
    assert _logged_in(client)


def test_a_user_removed_and_created_again_does_not_revive_old_cookies(site: Site) -> None:
    """SQLite may give the new user the old id; the session carries a stamp of the password hash."""
    name = _user(site)
    client = _client(site.open)
    _login(client, name)
    copied = _session_cookie(client)
    auth.delete_user(site.engine, name)
    create_user(site.engine, name, PASSWORD, "strategist", ["energi"])
    assert not _logged_in(_replay(site.open, copied))


# --------------------------------------------------------------------------- password guessing


def test_six_wrong_passwords_then_the_right_one_is_refused(site: Site, _no_waiting: list[float]) -> None:
    name = _user(site, cheap=True)
    client = _client(site.open, "192.0.2.10")
    answers = [_login(client, name, f"fel-gissning-{i}").headers["Location"] for i in range(MAX_USER_FAILURES + 1)]
    assert all(a.endswith("error=1") for a in answers[: MAX_USER_FAILURES - 1])
    assert all("error=limited" in a for a in answers[MAX_USER_FAILURES - 1 :])
    assert _no_waiting == [0, 0.5, 1.0, 1.5, 2.0], "each failure is answered a little later; refusals cost nothing"
    refused = _login(client, name)
    assert "error=limited" in refused.headers["Location"] and not _logged_in(client), "even the right password"
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "För många misslyckade inloggningsförsök" in page and "15 min" in page
    # another worker process (another app on the same database) and another address refuse too
    other = _client(site.closed, "192.0.2.11")
    assert "error=limited" in _login(other, name).headers["Location"]
    # after the window the user may try again
    with site.engine.begin() as conn:
        conn.execute(update(LoginFailure).values(at=LoginFailure.at - FAILURE_WINDOW - timedelta(seconds=1)))
    assert _login(client, name).headers["Location"] == "/import" and _logged_in(client)


def test_twenty_failures_from_one_address_block_it_for_every_user(site: Site) -> None:
    per_user = MAX_USER_FAILURES - 1  # stays under the per-user limit
    victims = [_user(site, cheap=True) for _ in range(MAX_ADDRESS_FAILURES // per_user)]
    attacker = _client(site.open, "203.0.113.66")
    for victim in victims:
        for i in range(per_user):
            _login(attacker, victim, f"fel-gissning-{i}")
    someone = _user(site, cheap=True)
    assert "error=limited" in _login(attacker, someone).headers["Location"], "the address is blocked"
    assert not _logged_in(attacker)
    elsewhere = _client(site.open, "203.0.113.67")
    assert _login(elsewhere, someone).headers["Location"] == "/import", "other addresses are not"


def test_old_failures_are_pruned(site: Site) -> None:
    with site.engine.begin() as conn:
        old = auth._utcnow() - timedelta(hours=2)
        conn.execute(insert(LoginFailure), [{"key": "user:gammal", "at": old}] * 3)
    _login(_client(site.open), "okänd-användare", "fel-gissning-1")
    with site.engine.connect() as conn:
        keys = sorted(conn.execute(LoginFailure.__table__.select()).mappings().all(), key=lambda r: r["key"])
    assert [r["key"] for r in keys] == ["addr:192.0.2.1", "user:okänd-användare"]


def test_unknown_and_known_user_names_cost_the_same_hashing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed: one password check per attempt, against a hash of the same kind and cost."""
    method = generate_password_hash("x").split("$")[0]
    assert DUMMY_HASH.split("$")[0] == method, "the dummy hash costs what a real one costs"
    checked: list[str] = []

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$")[0])
        return pwhash == "never"

    def no_generating(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("no hash is generated while logging in")

    known, inactive = _user(site), _user(site)
    update_user(site.engine, inactive, active=False)
    monkeypatch.setattr(auth, "check_password_hash", counting)
    monkeypatch.setattr(auth, "generate_password_hash", no_generating)
    client = _client(site.open, "192.0.2.20")
    for name in ("ingen-sådan-användare", known, inactive):
        checked.clear()
        assert _login(client, name, "fel-gissning-1").headers["Location"].endswith("error=1")
        assert checked == [method], f"{name}: one check with a {method} hash"


# --------------------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("sommar2024", "most common"),
        ("Lösenord123", "most common"),
        ("Sommar2027!", "common word with digits"),
        ("P@ssw0rd-2025", "common word with digits"),
        ("1234567890", "sequence"),
        ("0987654321", "sequence"),
        ("abcdefghij", "sequence"),
        ("qwertyuiop", "sequence"),
        ("aaaaaaaaaaaa", "one character"),
        ("abababababab", "short pattern"),
        ("kort", "at least 10"),
    ],
)
def test_common_and_simple_passwords_are_refused(site: Site, password: str, reason: str) -> None:
    name = f"user{next(_names)}"
    with pytest.raises(AuthError, match=reason):
        create_user(site.engine, name, password, "viewer")
    create_user(site.engine, name, PASSWORD, "viewer")
    with pytest.raises(AuthError, match=reason):
        update_user(site.engine, name, password=password)


def test_the_user_name_in_the_password_is_refused(site: Site) -> None:
    with pytest.raises(AuthError, match="contains the user name"):
        create_user(site.engine, "karin.holm", "Karin.Holm-Ronneby-7", "viewer")


def test_the_command_line_refuses_them_too(site: Site, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", site.engine.url.render_as_string(hide_password=False))
    name = f"user{next(_names)}"
    monkeypatch.setattr("sys.stdin", io.StringIO("lösenord123\n"))
    assert main(["users", "add", name, "--role", "viewer", "--password-stdin"]) == 1
    assert "most common passwords" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", name, "--role", "viewer", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("1234567890\n"))
    assert main(["users", "set", name, "--password-stdin"]) == 1
    assert "simple sequence" in capsys.readouterr().err


# --------------------------------------------------------------------------- login-only mode


@pytest.mark.parametrize(
    "path",
    [
        "/loginx",
        "/login/x",
        "/auth/x",
        "/auth/",
        "/auth/loginx",
        "/favicon.x",
        "/favicon.ico",
        "/assets",
        "/assets/",
        "/assets/../_dash-layout",
        "/_dash-component-suites/",
        "/_dash-component-suites/x",
        "/_favicon.icox",
        "/_dash-layout",
        "/_dash-dependencies",
        "/_dash-layoutx",
        "/_reload-hash",
        "/",
        "/projekt",
    ],
)
def test_leaky_routes_answer_a_redirect_or_401(site: Site, path: str) -> None:
    response = _client(site.closed).get(path)
    body = response.get_data(as_text=True)
    assert "_dash-config" not in body and GOAL_NAME not in body
    if response.status_code == 404:  # a static file that is not there: nothing of the app either
        assert path.startswith("/assets/") and len(body) < 1000
    elif path.startswith("/_"):
        assert response.status_code == 401, path
    else:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path


def test_login_only_mode_still_serves_what_the_login_page_and_the_app_need(site: Site) -> None:
    anonymous = _client(site.closed)
    assert anonymous.get("/login").status_code == 200
    assert anonymous.get("/assets/10-rus.css").status_code == 200
    assert anonymous.get("/_favicon.ico").status_code == 200
    assert anonymous.post("/_dash-update-component", json={}).status_code == 401
    viewer = _client(site.closed)
    _login(viewer, _user(site, "viewer", ()))
    page = viewer.get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)
    assert scripts, "the app page loads Dash's scripts"
    assert anonymous.get(scripts[0]).status_code == 200, "package scripts are public files"


# --------------------------------------------------------------------------- layouts


def _page(app: Any) -> tuple[str, str]:
    client = _client(app)
    return client.get("/").get_data(as_text=True), client.get("/_dash-layout").get_data(as_text=True)


def test_no_user_written_content_in_the_layouts(site: Site) -> None:
    from dashboard import create_app
    from dashboard.importers.uploads import save_profile

    baseline, _ = _page(create_app(site.settings))
    note = "HEMLIG-ANTECKNING-7f3a " + "x" * 2_000_000
    with site.engine.begin() as conn:  # written straight to the database: whatever the note form allows
        conn.execute(
            insert(WorkshopNote).values(deck="larandedag-2024", slide="1", held_on=date(2024, 5, 2), text=note)
        )
        conn.execute(insert(AuditEvent).values(actor="HEMLIG-AKTÖR-41", action="update", entity="project"))
    save_profile(site.engine, "HEMLIG-PROFIL-9c2e", {"columns": {}}, "HEMLIG-AKTÖR-41")
    admin = _user(site, "admin", ())
    secrets = ("HEMLIG-ANTECKNING-7f3a", "HEMLIG-PROFIL-9c2e", "HEMLIG-AKTÖR-41", admin)
    try:
        for closed in (False, True):
            app = create_app(replace(site.settings, require_login=closed))  # the app restarts
            # the worst case: an administrator sends the first request, for which Dash builds the
            # validation layout of every page (the change log and the saved profiles included)
            first = _client(app)
            _login(first, admin)
            assert first.get("/").status_code == 200
            visitor = _client(app, "192.0.2.30")
            if closed:  # nobody anonymous sees a page; a viewer logs in
                assert visitor.get("/").status_code == 302
                _login(visitor, _user(site, "viewer", ()))
            html, layout = visitor.get("/").get_data(as_text=True), visitor.get("/_dash-layout").get_data(as_text=True)
            assert "_pages_content" in html, "the validation layout still names the components"
            for secret in secrets:
                assert secret not in html and secret not in layout, secret
        html, layout = _page(create_app(site.settings))
        assert all(secret not in html + layout for secret in secrets)
        assert len(html) - len(baseline) < 1000, "the page does not grow with a 2 MB note"
        assert len(layout) < 100_000
    finally:
        with site.engine.begin() as conn:
            conn.execute(WorkshopNote.__table__.delete().where(WorkshopNote.text == note))
            conn.execute(ImportProfile.__table__.delete())


def _ids(node: Any) -> set[str]:
    """Every component id in a layout as JSON (dicts and lists), as sorted JSON text."""
    found: set[str] = set()
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "type" in node and props.get("id") is not None:
            found.add(json.dumps(props["id"], sort_keys=True))
        for value in node.values():
            found |= _ids(value)
    elif isinstance(node, list):
        for item in node:
            found |= _ids(item)
    return found


def test_the_cut_down_validation_layout_keeps_every_component_id(site: Site) -> None:
    """Dash's renderer checks every callback's components against the validation layout: the
    cut-down one served in the page has exactly the ids of the one Dash built, and no text."""
    from dash._utils import to_json

    from dashboard import create_app

    app = create_app(site.settings)
    html = _client(app).get("/").get_data(as_text=True)
    config = json.loads(re.search(r'id="_dash-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    served = config["validation_layout"]
    built = json.loads(to_json(app.validation_layout))
    assert _ids(served) == _ids(built) and len(_ids(built)) > 100
    stubs = served["props"]["children"]
    assert all(set(stub) == {"type", "namespace", "props"} and set(stub["props"]) == {"id"} for stub in stubs)


def test_the_login_page_tells_the_truth_about_viewing(tmp_path) -> None:
    from dashboard import create_app

    url = f"sqlite:///{tmp_path / 'hint.sqlite'}"
    settings, _ = writable_demo(url, 5)
    open_page = create_app(settings).server.test_client().get("/login").get_data(as_text=True)
    closed_page = create_app(replace(settings, require_login=True)).server.test_client().get("/login")
    closed = closed_page.get_data(as_text=True)
    assert "Att titta kräver ingen inloggning" in open_page and 'href="/"' in open_page
    assert "kräver inloggning även för att titta" in closed and "Att titta kräver ingen" not in closed
