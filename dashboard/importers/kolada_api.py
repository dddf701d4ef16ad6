"""Fetch values from Kolada's open API (optional; not used by the tests)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def fetch_kpis(
    kpis: list[str], areas: list[str], *, base_url: str, timeout: float = 30.0, max_pages: int = 100
) -> list[dict[str, Any]]:
    """All pages of ``/data/kpi/{kpis}/municipality/{areas}``, following the
    API's ``next_page`` / ``next_url`` links."""
    url: str | None = f"{base_url.rstrip('/')}/data/kpi/{','.join(kpis)}/municipality/{','.join(areas)}"
    pages: list[dict[str, Any]] = []
    while url and len(pages) < max_pages:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            page = json.loads(response.read().decode("utf-8"))
        pages.append(page)
        url = page.get("next_page") or page.get("next_url")
    return pages
