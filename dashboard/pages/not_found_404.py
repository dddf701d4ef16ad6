"""404 page (Dash pages looks for a module named not_found_404)."""

from __future__ import annotations

import dash
from dash import dcc, html

from ..i18n import t
from ..state import current_language


def layout(**_query: str) -> html.Div:
    """A friendly message with a way back."""
    lang = current_language()
    return html.Div([html.H1(t("notfound.title", lang)), dcc.Link(t("notfound.back", lang), href="/")])


dash.register_page(__name__, path="/404", name="404", title="404 · RUS-dashboard", layout=layout)
