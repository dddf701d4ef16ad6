"""Tables to CSV/XLSX bytes, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe
    (CSV/formula injection); numbers and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _prepared(df: pd.DataFrame, headers: Mapping[str, str]) -> pd.DataFrame:
    out = df[list(headers)].rename(columns=dict(headers)).copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise).astype(object)
    return out


def to_csv_bytes(df: pd.DataFrame, headers: Mapping[str, str]) -> bytes:
    """UTF-8 CSV with BOM (so Excel reads å, ä, ö) and ``;`` as separator (Swedish Excel)."""
    buf = io.StringIO()
    _prepared(df, headers).to_csv(buf, index=False, sep=";", lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx_bytes(sheets: Mapping[str, tuple[pd.DataFrame, Mapping[str, str]]]) -> bytes:
    """An XLSX workbook with one sheet per (frame, headers); text is always
    stored as text (never as a formula), columns sized to their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, (df, headers) in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        out = _prepared(df, headers)
        ws.append(list(out.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in out.itertuples(index=False):
            ws.append([None if (not isinstance(v, (list, str)) and pd.isna(v)) else v for v in row])
        for col_idx, col in enumerate(out.columns, start=1):
            for cell in ws.iter_cols(min_col=col_idx, max_col=col_idx, min_row=2):
                for c in cell:
                    if isinstance(c.value, str):
                        c.data_type = "s"  # never a formula
                    elif isinstance(c.value, int) and col.lower().endswith(("kr", "sek")):
                        c.number_format = "#,##0"
            width = max([len(str(col))] + [len(str(v)) for v in out[col].head(200)]) + 2
            ws.column_dimensions[get_column_letter(col_idx)].width = min(width, 60)
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
