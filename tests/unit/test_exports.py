"""CSV/XLSX exports: Swedish headers, formula injection neutralised, nothing lost."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.exports.tables import neutralise, to_csv_bytes, to_xlsx_bytes

FRAME = pd.DataFrame(
    {
        "reference": ["P-1", "P-2", "P-3"],
        "title": ['=HYPERLINK("http://x")', "+46 Karlskrona", "Vanlig titel <script>alert(1)</script>"],
        "owner": ["@ägare", "-minus", "Region Blekinge"],
        "granted_sek": [1_000_000, -5, 250_000],
    }
)
HEADERS = {"reference": "Referens", "title": "Titel", "owner": "Projektägare", "granted_sek": "Anslag 1:1 (kr)"}


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+1") == "'+1" and neutralise("-1") == "'-1" and neutralise("@A1") == "'@A1"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("Karlskrona") == "Karlskrona"
    assert neutralise(-5) == -5, "numbers are data, not formulas"


def test_csv() -> None:
    data = to_csv_bytes(FRAME, HEADERS)
    assert data.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == list(HEADERS.values())
    assert back["Titel"].tolist()[0] == '\'=HYPERLINK("http://x")'
    assert back["Titel"].tolist()[1] == "'+46 Karlskrona"
    assert back["Projektägare"].tolist() == ["'@ägare", "'-minus", "Region Blekinge"]
    assert back["Anslag 1:1 (kr)"].astype(int).sum() == 1_249_995
    assert "<script>" in back["Titel"].tolist()[2], "text is kept as text"


def test_xlsx_stores_text_never_formulas() -> None:
    data = to_xlsx_bytes({"Projekt": (FRAME, HEADERS)})
    ws = load_workbook(io.BytesIO(data))["Projekt"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS.values())
    assert [r[0] for r in rows[1:]] == ["P-1", "P-2", "P-3"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} became a formula"
    assert sum(r[3] for r in rows[1:]) == 1_249_995
