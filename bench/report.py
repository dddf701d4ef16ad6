"""Write the measured tables of docs/performance.md from bench/out/*.json.

.venv/bin/python bench/report.py            # rewrites the block between the markers
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TARGET_MEDIAN, TARGET_P95 = 150, 300  # at 1 000 000 projects
REGIONAL_MAX, REGIONAL_MEDIAN = 500, 30  # "regional scale (about 250 projects): every callback <= 30 ms median"


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}{unit}".replace(",", " ") if isinstance(value, float) else f"{value}{unit}"


def tables() -> str:
    """The summary table and one callback table per run."""
    runs = [
        json.loads(p.read_text()) for p in sorted(OUT.glob("sqlite-*.json")) + sorted(OUT.glob("postgresql-*.json"))
    ]
    loads = [json.loads(p.read_text()) for p in sorted(OUT.glob("load-*.json"))]
    if not runs:
        return "_No measurements yet: run bench/run.py._"
    machine = runs[0]["machine"]
    lines = [
        f"Measured on {machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']} GB RAM, "
        f"Python {machine['python']}. Callback times are server-side, over {runs[0]['filters']} filter "
        "states each (first call not counted).",
        "",
        "| database | projects | commit | build | build peak RSS | DuckDB copy | app peak RSS | first render | callbacks: worst median | worst p95 | DuckDB floor (goal sums) | pandas floor |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(runs, key=lambda r: (r["db"], r["projects"])):
        cbs = r["callbacks"].values()
        worst_median = max(c["median_ms"] for c in cbs)
        worst_p95 = max(c["p95_ms"] for c in cbs)
        lines.append(
            f"| {r['db']} | {r['projects']:,} | {r.get('commit', '–')} | {_fmt(r.get('build_s'), ' s')} | {_fmt(r.get('build_rss_mb'), ' MB')} "
            f"| {_fmt(r.get('analytics_copy_s'), ' s')} | {_fmt(r.get('server_rss_mb'), ' MB')} | {_fmt(r.get('first_render_s'), ' s')} "
            f"| {worst_median:.0f} ms | {worst_p95:.0f} ms "
            f"| {r['floor']['duckdb_goal_ms']} ms | {r['floor']['pandas_goal_ms']} ms |".replace(",", " ")
        )
    for r in sorted(runs, key=lambda r: (r["db"], r["projects"])):
        lines += [
            "",
            f"**{r['db']}, {r['projects']:,} projects** — median / p95 per callback (ms)".replace(
                ",", "\u2009"
            ).replace("\u2009 ", ", ", 1),
            "",
            "| callback (first output) | median | p95 | "
            + ("meets 30 (regional) |" if r["projects"] <= REGIONAL_MAX else "meets 150/300 |"),
            "|---|---:|---:|:---:|",
        ]
        for name, c in r["callbacks"].items():
            if r["projects"] <= REGIONAL_MAX:
                met = c["median_ms"] <= REGIONAL_MEDIAN
            else:
                met = c["median_ms"] <= TARGET_MEDIAN and c["p95_ms"] <= TARGET_P95
            ok = "yes" if met else "**no**"
            lines.append(f"| {name} | {c['median_ms']:.0f} | {c['p95_ms']:.0f} | {ok} |")
    if loads:
        lines += [
            "",
            "**Load** (bench/load.py: users open pages and change filters; gunicorn on loopback)",
            "",
            "| database | projects | commit | users | seconds | requests | failed | req/s | median | p95 | callback p95 | warm-up | worker peak RSS | server |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in loads:
            lines.append(
                f"| {r['db']} | {r['projects']:,} | {r.get('commit', '–')} ".replace(",", " ")
                + f"| {r['users']} | {r['seconds']} | {r['requests']} | {r['failed']} "
                f"| {r['throughput_rps']} | {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms "
                f"| {r['callback_p95_ms']:.0f} ms | {_fmt(r.get('warmup_s'), ' s')} "
                f"| {' + '.join(str(m) for m in r.get('worker_peak_rss_mb', [])) or '–'} MB | `{r['server']}` |"
            )
    return "\n".join(lines)


def main() -> int:
    """Replace the measured block of docs/performance.md."""
    doc = DOC.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        print(f"{DOC} has no {BEGIN} … {END} block", file=sys.stderr)
        return 1
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{tables()}\n{END}{tail}", encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
