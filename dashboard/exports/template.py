"""The import template (profile ``mall``) with a sheet of allowed values."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from ..importers.projects import PROFILES
from ..models import PROJECT_STATUSES, Goal, Municipality, Priority, Theme
from .tables import to_xlsx_bytes


def template_workbook(engine: Engine) -> bytes:
    """An empty project sheet with the template's columns, one example row, and the allowed values."""
    profile = PROFILES["mall"]
    headers = [names[0] for names in profile["columns"].values()] + [names[0] for names in profile["funding"].values()]
    example = dict.fromkeys(headers, "")
    example.update(
        {
            "Referens": "2025-00123",
            "Titel": "Exempelprojekt",
            "Projektägare": "Karlskrona kommun",
            "Tematiskt område": "Energi",
            "Status": "beviljat",
            "Beslutsdatum": "2025-03-01",
            "Startdatum": "2025-04-01",
            "Slutdatum": "2027-03-31",
            "Mål": "klimat 60; konkurrenskraft 40",
            "Kommuner": "Karlskrona, Ronneby",
            "Prioriteringar": "klim-energisystem",
            "Anslag 1:1 (kr)": 500_000,
            "ERUF (kr)": 400_000,
            "Privat (kr)": 350_000,
        }
    )
    projects = pd.DataFrame([example], columns=headers)
    with engine.connect() as conn:
        themes = [n for (n,) in conn.execute(select(Theme.name_sv).order_by(Theme.sort))]
        goals = [f"{c} – {n}" for c, n in conn.execute(select(Goal.code, Goal.name_sv).order_by(Goal.sort))]
        munis = [n for (n,) in conn.execute(select(Municipality.name).order_by(Municipality.name))] + ["Hela länet"]
        prios = [
            f"{c} – {n}"
            for c, n in conn.execute(select(Priority.code, Priority.name_sv).order_by(Priority.goal_id, Priority.sort))
        ]
    lists = {
        "Status": list(PROJECT_STATUSES),
        "Tematiskt område": themes,
        "Mål (kod – namn)": goals,
        "Kommuner": munis,
        "Prioriteringar (kod – namn)": prios,
    }
    longest = max(len(v) for v in lists.values())
    allowed = pd.DataFrame({k: v + [""] * (longest - len(v)) for k, v in lists.items()})
    return to_xlsx_bytes(
        {
            "Projekt": (projects, {c: c for c in headers}),
            "Tillåtna värden": (allowed, {c: c for c in allowed.columns}),
        }
    )
