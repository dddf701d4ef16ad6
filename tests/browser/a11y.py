"""Helpers of the accessibility and layout tests: a site of their own, settling a page, axe-core.

axe-core comes from the npm registry: ``.ci/run`` puts it in ``.cache/axe-core/axe.min.js``
(git-ignored; ``RUS_AXE_JS`` names another file). It is injected into the page under test,
never loaded from a CDN; without it the axe tests skip and say how to get it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("RUS_AXE_JS") or ROOT / ".cache" / "axe-core" / "axe.min.js")
AXE_MISSING = (
    f"axe-core is not installed at {AXE_JS}: .ci/run fetches it with npm "
    "(npm pack axe-core@4 and copy package/axe.min.js there), or set RUS_AXE_JS"
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
PASSWORD = "ett-bra-lösenord-för-a11y"
SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}
PHONE = (390, 844)

# Counts the page's fetches (Dash's callbacks and layout go through fetch), so a test can wait
# until the page has stopped asking the server and drawing before it looks at it.
_SETTLE_SCRIPT = """
(() => {
  if (window.__rusInflight !== undefined) { return; }
  window.__rusInflight = 0;
  window.__rusLast = Date.now();
  const original = window.fetch;
  window.fetch = function () {
    window.__rusInflight += 1;
    window.__rusLast = Date.now();
    return original.apply(this, arguments).finally(() => {
      window.__rusInflight -= 1;
      window.__rusLast = Date.now();
    });
  };
})();
"""
_SETTLED = """() => window.__rusInflight === 0 && Date.now() - window.__rusLast > 300
    && !document.querySelector('._dash-loading, .dash-graph--pending, [data-dash-is-loading]')
    && !!document.querySelector('#main, .presentation-root, .survey-root, form[action="/auth/login"]')"""


@dataclass(frozen=True)
class Site:
    base: str
    reference: str  # a project of the demo data
    decks: dict  # deck id -> number of slides
    goals: list[str]


def serve_site(tmp_path: Path, projects: int = 250) -> Iterator[Site]:
    """A demo database with an admin, served on a loopback port (the session's database stays untouched)."""
    from dashboard import create_app
    from dashboard.decks import load_decks
    from dashboard.models import Goal, Project

    from ..conftest import writable_demo

    url = f"sqlite:///{tmp_path / 'a11y.sqlite'}"
    settings, engine = writable_demo(url, projects, (("admin", PASSWORD, "admin", ()),))
    with engine.connect() as conn:
        reference = conn.execute(select(Project.reference).order_by(Project.reference)).scalars().first()
        goals = list(conn.execute(select(Goal.code).order_by(Goal.id)).scalars())
    decks = {d.id: len(d.slides(goals)) for d in load_decks().values()}
    server = make_server("127.0.0.1", 0, create_app(settings).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_port}", reference, decks, goals)
    server.shutdown()
    engine.dispose()


def new_context(browser: Browser, size: tuple[int, int], *, site: Site | None = None) -> BrowserContext:
    """A browser context of ``size`` (Swedish); logged in as the admin when ``site`` is given."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="sv-SE")
    context.add_init_script(_SETTLE_SCRIPT)
    context.set_default_timeout(20_000)
    if site is not None:
        page = context.new_page()
        page.goto(f"{site.base}/login?next=/")
        page.fill("#username", "admin")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(re.compile(r"/$"))
        page.close()
    return context


def settle(page: Page) -> None:
    """Wait until the page has drawn and stopped calling the server."""
    page.wait_for_function(_SETTLED, polling=100, timeout=30_000)


def open_page(page: Page, url: str) -> None:
    """Go to ``url`` and wait until the page has settled (the fetch counter is installed first
    when the page's context does not have it)."""
    if not getattr(page, "_rus_counts_fetches", False):
        page.add_init_script(_SETTLE_SCRIPT)
        page._rus_counts_fetches = True
    page.goto(url)
    settle(page)


NOT_DASH = ("/login", "/auth/")
"""Pages the server draws without Dash: always loaded."""


def visit(page: Page, url: str) -> None:
    """Open ``url`` as a user following a link does: inside the running app by the history
    (Dash draws the new page without loading the app again, about twice as fast), else by loading it."""
    origin, path = url.split("/", 3)[0] + "//" + url.split("/", 3)[2], "/" + url.split("/", 3)[3]
    in_app = (
        not path.startswith(NOT_DASH)
        and page.url.startswith(origin)
        and page.evaluate("() => !!document.getElementById('react-entry-point') && window.__rusInflight !== undefined")
    )
    if not in_app:
        open_page(page, url)
        return
    page.evaluate(
        """(url) => {
            window.__rusLast = Date.now();
            window.history.pushState({}, '', url);
            window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        }""",
        url,
    )
    page.wait_for_function("(url) => window.location.href === url", arg=url)
    settle(page)


def next_slide(page: Page, number: int, counter: str = "Bild") -> None:
    """Turn to slide ``number`` with the arrow key (as a facilitator does) and wait for it
    (``counter``: the first word of the slide counter, 'Bild 3 av 15' / 'Slide 3 of 15')."""
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => /\\/{number}$/.test(window.location.pathname)", timeout=15_000)
    page.wait_for_function(
        f"() => (document.querySelector('.slide-counter') || {{}}).textContent?.startsWith('{counter} {number} ')",
        timeout=15_000,
    )
    settle(page)


def run_axe(page: Page, axe_source: str) -> list[dict]:
    """axe-core's serious and critical violations of WCAG 2.0/2.1 A and AA on the page as shown."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async ([tags, impacts]) => {
            const result = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return result.violations.filter(v => impacts.includes(v.impact)).map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                count: v.nodes.length,
            }));
        }""",
        [WCAG_TAGS, list(FAILING_IMPACTS)],
    )


def describe(where: str, violations: list[dict]) -> list[str]:
    """One line per violation, for the assertion message."""
    return [
        f"{where}: {v['id']} ({v['impact']}, {v['count']}×) {v['help']} — {', '.join(v['nodes'])}" for v in violations
    ]


# Finds text that is cut off or drawn over other text: HTML text outside the box that clips
# it, outside its container (a card, a slide) or the window's width, cut with an ellipsis;
# chart text outside its chart or over another chart text; an axis that repeats a tick label.
_LAYOUT_CHECK = """
(opts) => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const visible = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
    }
    return true;
  };
  const name = (el) => {
    const id = el.closest('[id]');
    return (id ? '#' + id.id + ' ' : '') + el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
  };
  const outside = (r, b, tol) => r.left < b.left - tol || r.right > b.right + tol || r.top < b.top - tol || r.bottom > b.bottom + tol;
  const show = (r) => `[${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}]`;
  const skip = opts.skip;
  for (const root of document.querySelectorAll(opts.roots)) {
    if (!visible(root)) continue;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest(skip) || !visible(el)) continue;
      if (el.closest('details:not([open])') && !el.closest('summary')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
      if (!rects.length) continue;
      const what = `"${text.slice(0, 40)}" in ${name(el)}`;
      const container = el.closest(opts.containers);
      // Text a scrolling box moves out of view vertically (a dialog's long body) is scrolled, not cut;
      // text a box hides sideways (a table wider than its card) is cut.
      let scrolled = false;
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
          const box = a.getBoundingClientRect();
          const scrollsY = cs.overflowY === 'auto' || cs.overflowY === 'scroll';
          const sideways = (r) => r.left < box.left - 1 || r.right > box.right + 1;
          if (rects.some((r) => (scrollsY || scrolled ? sideways(r) : outside(r, box, 1)))) {
            problems.push(`cut by ${name(a)}: ${what} ${show(rects[0])}`);
            break;
          }
          if (scrollsY) scrolled = true;
        }
      }
      if (container) {
        const box = container.getBoundingClientRect();
        const off = (r) => (scrolled ? r.left < box.left - 1 || r.right > box.right + 1 : outside(r, box, 1));
        if (rects.some(off)) problems.push(`outside ${name(container)}: ${what} ${show(rects[0])}`);
      }
      if (rects.some((r) => r.right > width + 1 || r.left < -1)) problems.push(`outside the window: ${what}`);
      const cs = getComputedStyle(el);
      if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) problems.push(`cut with an ellipsis: ${what}`);
      if (opts.minFont && parseFloat(cs.fontSize) < opts.minFont - 0.5) problems.push(`${cs.fontSize} text (under ${opts.minFont}px): ${what}`);
    }
    for (const gd of root.querySelectorAll('.js-plotly-plot')) {
      if (!visible(gd)) continue;
      const box = gd.getBoundingClientRect();
      const texts = [];
      for (const t of gd.querySelectorAll('svg text')) {
        const text = t.textContent.trim();
        if (!text || t.closest('.hoverlayer') || !visible(t)) continue;
        const r = t.getBoundingClientRect();
        if (r.width < 0.5 || r.height < 0.5) continue;
        const turned = /rotate\\((?!0[,)])/.test((t.getAttribute('transform') || '') + (t.parentElement.getAttribute('transform') || ''));
        texts.push({text, r, turned});
        const size = parseFloat(getComputedStyle(t).fontSize);
        if (opts.minFont && size < opts.minFont - 0.5) problems.push(`${size}px chart text (under ${opts.minFont}px) in #${gd.parentElement.id || gd.id}: "${text.slice(0, 40)}"`);
        if (outside(r, box, 1)) problems.push(`outside its chart #${gd.parentElement.id || gd.id}: "${text.slice(0, 40)}" ${show(r)} not in ${show(box)}`);
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i], b = texts[j];
          if (a.turned || b.turned) continue;
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (w > 2 && h > 2) problems.push(`overlap in chart #${gd.parentElement.id || gd.id}: "${a.text.slice(0, 30)}" and "${b.text.slice(0, 30)}"`);
        }
      }
      for (const axis of gd.querySelectorAll('g.xaxislayer-above, g.yaxislayer-above')) {
        const labels = [...axis.querySelectorAll(':scope > g > text, :scope > text')].map((t) => t.textContent.trim()).filter(Boolean);
        const seen = labels.filter((x, i) => labels.indexOf(x) !== i);
        if (seen.length) problems.push(`repeated tick labels in #${gd.parentElement.id || gd.id}: ${[...new Set(seen)].join(', ')}`);
      }
    }
    for (const cell of root.querySelectorAll(opts.gridCells)) {
      if (visible(cell) && cell.scrollWidth > cell.clientWidth + 1) problems.push(`cut in the grid: "${cell.textContent.trim().slice(0, 40)}" in ${name(cell)}`);
    }
  }
  return [...new Set(problems)];
}
"""
LAYOUT_SKIP = (
    ".visually-hidden, [hidden], script, style, .dash-dropdown-content, .js-plotly-plot, .ag-root-wrapper, svg, "
    ".ag-aria-description-container"  # AG Grid's words for screen readers, hidden on purpose
)
GRID_CELLS = ".ag-header-cell-text, " + ", ".join(
    f".ag-cell[col-id='{c}'] .ag-cell-value"
    for c in (
        "reference",
        "granted_sek",
        "other_sek",
        "total_sek",
        "leverage",
        "decision_year",
        "start_date",
        "end_date",
    )
)


def layout_problems(page: Page, roots: str, containers: str, *, min_font: float = 0) -> list[str]:
    """Text that is cut off or drawn over other text under ``roots`` (see _LAYOUT_CHECK), and,
    with ``min_font``, text set smaller than that (CSS pixels before any scaling)."""
    return page.evaluate(
        _LAYOUT_CHECK,
        {
            "roots": roots,
            "containers": containers,
            "skip": LAYOUT_SKIP,
            "gridCells": GRID_CELLS,
            "minFont": min_font,
        },
    )
