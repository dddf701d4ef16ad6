"""End to end: presentation mode, keys and URLs, notes, the mobile survey and live results."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from ..conftest import writable_demo

PASSWORD = "rätt-lösenord-123"


@pytest.fixture(scope="module")
def learning_day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app on its own database with a facilitator (a strategist), served on a loopback port."""
    from dashboard import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('learningday') / 'day.sqlite'}"
    settings, engine = writable_demo(url, 20, (("facilitator", PASSWORD, "strategist", ("energi",)),))
    server = make_server("127.0.0.1", 0, create_app(settings).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    engine.dispose()


def _log_in(page: Page, base_url: str, next_path: str) -> None:
    page.goto(f"{base_url}/login?next={next_path}")
    page.locator("#username").fill("facilitator")
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def test_deck_opens_full_screen_without_console_errors(
    page: Page, base_url_live: str, console_errors: list[str]
) -> None:
    page.goto(base_url_live + "/presentation")
    page.locator("#start-standard").click()
    expect(page).to_have_url(re.compile(r"/presentation/standard/1$"))
    root = page.locator("#slide-root")
    expect(root).to_be_visible()
    expect(page.locator(".navbar")).to_be_hidden()
    expect(page.locator(".filter-bar")).to_be_hidden()
    box = root.bounding_box()
    viewport = page.viewport_size
    assert box and abs(box["width"] - viewport["width"]) < 2 and abs(box["height"] - viewport["height"]) < 2
    expect(page.locator(".slide-title-big")).to_have_text("Växtplats Blekinge – läget")
    expect(page.locator(".slide-counter")).to_have_text(re.compile(r"Bild 1 av \d+"))
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def test_keys_move_between_slides_and_the_url_follows(page: Page, base_url_live: str) -> None:
    page.goto(base_url_live + "/presentation/standard/1")
    expect(page.locator(".slide-title-big")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/presentation/standard/2$"))
    expect(page.locator(".slide-heading")).to_have_text("Anslag 1:1 per mål 2024")
    page.keyboard.press("PageDown")
    expect(page).to_have_url(re.compile(r"/presentation/standard/3$"))
    expect(page.locator(".slide-heading")).to_have_text("Utvecklingskapital 2024")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/presentation/standard/2$"))
    page.keyboard.press(" ")
    expect(page).to_have_url(re.compile(r"/presentation/standard/3$"))
    page.keyboard.press("PageUp")
    expect(page).to_have_url(re.compile(r"/presentation/standard/2$"))
    page.go_back()
    page.go_forward()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/presentation$"))
    expect(page.locator("#main h1")).to_have_text("Presentationsläge")


def _slide_number(page: Page, base_url: str, deck: str, key_text: str) -> int:
    page.goto(f"{base_url}/presentation/{deck}/1")
    total = int(re.search(r"av (\d+)", page.locator(".slide-counter").inner_text()).group(1))
    for n in range(1, total + 1):
        page.goto(f"{base_url}/presentation/{deck}/{n}")
        heading = page.locator(".slide-heading, .slide-title-big").first
        expect(heading).to_be_visible()
        if key_text in heading.inner_text():
            return n
    raise AssertionError(f"no slide with {key_text!r}")


def test_note_is_kept_after_reload_and_only_cleared_on_purpose(page: Page, learning_day: str) -> None:
    n = _slide_number(page, learning_day, "standard", "Vad tar vi med oss")
    here = f"/presentation/standard/{n}"
    _log_in(page, learning_day, here)
    note = page.locator("#slide-note")
    note.fill("Rummet vill se fler projekt om biologisk mångfald.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#slide-note-status")).to_contain_text("Sparat")
    page.reload()
    expect(page.locator("#slide-note")).to_have_value("Rummet vill se fler projekt om biologisk mångfald.")
    assert page.url.endswith(here)
    # An empty box saved by mistake removes nothing.
    page.locator("#slide-note").fill("")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#slide-note-status")).to_contain_text("Använd Rensa")
    page.reload()
    expect(page.locator("#slide-note")).to_have_value("Rummet vill se fler projekt om biologisk mångfald.")
    # Clear, confirmed, does.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Rensa").click()
    expect(page.locator("#slide-note-status")).to_contain_text("borttagen")
    expect(page.locator("#slide-note")).to_have_value("")
    page.reload()
    expect(page.locator("#slide-note")).to_have_value("")


def test_the_audience_sees_no_notes_and_no_export(page: Page, learning_day: str, console_errors: list[str]) -> None:
    n = _slide_number(page, learning_day, "standard", "Vad tar vi med oss")
    page.wait_for_load_state("networkidle")
    console_errors.clear()  # looking for the slide left requests of other slides unfinished
    page.goto(f"{learning_day}/presentation/standard/{n}")
    expect(page.locator("#slide-note-login")).to_contain_text("förs av en facilitator")
    expect(page.locator("#slide-note")).to_be_hidden()
    page.wait_for_load_state("networkidle")
    page.goto(learning_day + "/presentation")
    expect(page.locator("#presentation-notes-login")).to_be_visible()
    expect(page.locator("#presentation-export")).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def test_phone_answers_appear_on_the_results_slide(browser: Browser, base_url_live: str) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.goto(base_url_live + "/enkat/larandedag-2024")
    expect(mobile.locator(".survey-title")).to_contain_text("Lärandedag 2024")
    expect(mobile.locator(".navbar")).to_be_hidden()
    mobile.locator("fieldset", has_text="Hur väl speglar portföljen").locator(".survey-scale").first.get_by_text(
        "4"
    ).click()
    link = 'Ingen arbetar med hamnarna <a href="https://example.org/">se här</a> https://example.org/'
    mobile.locator("textarea").fill(link)
    mobile.get_by_label("Mer samverkan").check()
    mobile.get_by_role("button", name="Skicka").click()
    expect(mobile.get_by_role("status")).to_contain_text("Tack! 3 svar sparade.")
    phone.close()

    room = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = room.new_page()
    n = _slide_number(screen, base_url_live, "larandedag-2024", "Rummets svar: Hur väl speglar")
    expect(screen.locator("#slide-results-graph")).to_contain_text("(n=1)")
    text_slide = n + 1
    screen.goto(f"{base_url_live}/presentation/larandedag-2024/{text_slide}")
    expect(screen.locator("#slide-results-texts li").first).to_have_text(link)  # shown as written, as text
    assert screen.locator("#slide-results-texts a").count() == 0, "never a link"
    choice_slide = n + 2
    screen.goto(f"{base_url_live}/presentation/larandedag-2024/{choice_slide}")
    expect(screen.locator("#slide-results-graph")).to_contain_text("Mer samverkan")
    room.close()
