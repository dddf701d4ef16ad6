"""Drill-down links into the project list."""

from __future__ import annotations

from dash import dcc, html

from ..filters import FilterState, to_query
from ..i18n import format_number, t
from ..models import DECIDED_STATUSES

PROJECTS_PATH = "/projekt"


def projects_href(state: FilterState, *, decided_only: bool = True, **changes: object) -> str:
    """URL of the project list showing exactly the projects behind an aggregate.

    Allocation and capital count decided projects, so the link narrows the
    status to the decided ones (to the decided ones among the chosen statuses,
    as the money does; with none of them chosen the aggregate is empty).
    """
    target = state.with_values(**changes) if changes else state
    if decided_only:
        decided = tuple(s for s in target.status if s in DECIDED_STATUSES) or DECIDED_STATUSES
        target = target.with_values(status=decided)
    return PROJECTS_PATH + to_query(target)


def make_show_projects(n: int, href: str, lang: str, *, link_id: str | dict | None = None) -> dcc.Link | html.Span:
    """'Visa N projekt' as a link (plain text when there is nothing to show)."""
    text = t("link.show_projects", lang, n=format_number(n, lang))
    if n <= 0:
        return html.Span(text, className="text-muted small")
    kwargs = {"id": link_id} if link_id else {}
    return dcc.Link(
        [html.I(className="bi bi-list-ul me-1", **{"aria-hidden": "true"}), text],
        href=href,
        className="show-projects",
        **kwargs,
    )


def make_filter_button(dim: str, code: object, label: str, lang: str) -> html.Button:
    """A keyboard-reachable twin of click-to-filter: sets the filter ``dim`` to ``code``."""
    from . import ids

    text = t("link.filter_on", lang, label=label)
    return html.Button(
        [html.I(className="bi bi-funnel", **{"aria-hidden": "true"}), html.Span(text, className="visually-hidden")],
        id={"type": ids.FILTER_SET, "key": dim, "value": str(code)},
        className="filter-set-button",
        title=text,
        n_clicks=0,
    )
