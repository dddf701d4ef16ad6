"""Benchmark: build demo databases of N projects and time every filter callback.

    .venv/bin/python bench/run.py --sizes 1000,100000,1000000 --db sqlite
    .venv/bin/python bench/run.py --sizes 1000,100000,1000000 --db postgresql

For each size it records, in ``bench/out/<db>-<N>.json``:

- ``build_s`` / ``build_rss_mb``: ``python -m dashboard demo --projects N`` wall time and peak memory;
- per callback (every callback fed by the shared filter store, i.e. every chart of
  every page): median and p95 server time over the filter changes in ``FILTERS``
  (at least 20), as POSTs to ``/_dash-update-component`` through Flask's test client;
- ``first_render_s``: the overview page in headless Chromium until every chart is drawn;
- ``server_rss_mb``: peak memory of this process (the app) after all callbacks;
- ``floor_ms``: the same goal × money aggregation done directly in DuckDB over
  in-memory copies of the tables (the floor for any implementation).

``bench/report.py`` turns the JSON files into the table in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PG_SERVER = os.environ.get("RUS_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")

# 24 filter states: single and combined dimensions, as a user would click them.
FILTERS = [
    "",
    "year=2024",
    "year=2023",
    "year=2020-2024",
    "theme=energi",
    "theme=kompetens",
    "theme=energi,innovation",
    "goal=klimat",
    "goal=konkurrenskraft",
    "goal=arbete,halsa",
    "municipality=1080",
    "municipality=1082,1083",
    "status=pagaende",
    "status=beviljat,avslutat",
    "source=eruf",
    "source=private,academia",
    "year=2024&theme=energi",
    "year=2024&goal=klimat",
    "year=2022-2024&municipality=1080",
    "theme=energi&source=eruf",
    "goal=klimat&municipality=1081",
    "year=2023&theme=digitalisering&status=pagaende",
    "year=2024&goal=konkurrenskraft&source=private",
    "theme=kultur&municipality=1060",
]


def database_url(db: str, n: int) -> str:
    """A database per size (SQLite file under bench/out, or a PostgreSQL database)."""
    if db == "sqlite":
        return f"sqlite:///{OUT / f'bench-{n}.sqlite'}"
    return f"{PG_SERVER}/rus_bench_{n}"


def prepare_postgres(url: str) -> None:
    """(Re)create the PostgreSQL database for one size."""
    from sqlalchemy import create_engine, text

    server, name = url.rsplit("/", 1)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def build(db: str, n: int) -> dict:
    """Run ``python -m dashboard demo --projects N``; wall time and the child's peak RSS."""
    url = database_url(db, n)
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.split("///", 1)[1] + suffix).unlink(missing_ok=True)
    else:
        prepare_postgres(url)
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dashboard", "demo", "--projects", str(n)], cwd=ROOT, env=env, check=True)
    took = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"build_s": round(took, 1), "build_rss_mb": round(rss)}


def _find(component: object, wanted: str) -> object | None:
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


# Inputs whose layout value is not what a browser sends: the project grid asks for its first block.
INPUT_VALUES = {("projects-grid", "getRowsRequest"): {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}}


def filter_callbacks(app) -> list[dict]:  # noqa: ANN001
    """Every callback fed by the filter store (as input, or as state beside the project
    grid's block request), with default values for its other inputs."""
    import dash

    from dashboard.components import ids

    app.server.test_client().get("/")  # Dash registers the page callbacks on the first request
    with app.server.test_request_context("/"):
        layouts = [page["layout"]() for page in dash.page_registry.values()]
    out = []
    for key, spec in app.callback_map.items():
        inputs, states = spec["inputs"], spec.get("state", [])
        fed = any(i["id"] == ids.FILTER_STORE for i in inputs) or (
            any(s["id"] == ids.FILTER_STORE for s in states)
            and any((i["id"], i["property"]) in INPUT_VALUES for i in inputs)
        )
        if not fed or key.startswith("shell-") or "callback" not in spec:  # no server function: clientside
            continue
        if any(not isinstance(i["id"], str) for i in [*inputs, *states]):
            continue
        values = {}
        for i in [*inputs, *states]:
            if i["id"] == ids.FILTER_STORE:
                continue
            if (i["id"], i["property"]) in INPUT_VALUES:
                values[i["id"]] = INPUT_VALUES[(i["id"], i["property"])]
                continue
            component = next((c for c in (_find(layout, i["id"]) for layout in layouts) if c is not None), None)
            values[i["id"]] = getattr(component, i["property"], None)
        outputs = [
            {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
            for part in key.strip(".").split("...")
            if part
        ]
        out.append({"key": key, "inputs": inputs, "states": states, "values": values, "outputs": outputs})
    return out


def payload(cb: dict, query: str) -> dict:
    """The POST body of ``cb`` for the filter state ``query``, as the browser sends it."""
    from dashboard.components import ids

    fed = next((i for i in cb["inputs"] if i["id"] == ids.FILTER_STORE), cb["inputs"][0])

    def value(item: dict) -> object:
        return query if item["id"] == ids.FILTER_STORE else cb["values"].get(item["id"])

    return {
        "output": cb["key"],
        "outputs": cb["outputs"] if len(cb["outputs"]) > 1 else cb["outputs"][0],
        "inputs": [{"id": i["id"], "property": i["property"], "value": value(i)} for i in cb["inputs"]],
        "changedPropIds": [f"{fed['id']}.{fed['property']}"],
        "state": [{"id": s["id"], "property": s["property"], "value": value(s)} for s in cb["states"]],
    }


def time_callbacks(app, callbacks: list[dict], repeats: int = 1) -> dict[str, dict]:  # noqa: ANN001
    """Median and p95 ms of each callback over FILTERS (after one warm-up call)."""

    client = app.server.test_client()
    client.get("/")
    results = {}
    for cb in callbacks:
        times = []
        for n, query in enumerate(["", *FILTERS * repeats]):
            body = payload(cb, query)
            started = time.perf_counter()
            response = client.post("/_dash-update-component", json=body)
            took = (time.perf_counter() - started) * 1000
            if response.status_code not in (200, 204):
                raise RuntimeError(f"{cb['key']} {query!r}: HTTP {response.status_code} {response.data[:300]!r}")
            if n:  # the first call warms caches and imports
                times.append(took)
        times.sort()
        name = cb["outputs"][0]["id"]
        results[name] = {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
            "calls": len(times),
        }
    return results


def first_render(app) -> float | None:  # noqa: ANN001
    """Seconds from navigation until the overview's charts are drawn (headless Chromium)."""
    from werkzeug.serving import make_server

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"http://127.0.0.1:{server.server_port}/")  # warm-up (assets into the cache)
            page.wait_for_selector("#overview-donut .main-svg", timeout=120_000)
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_port}/?year=2023")
            for selector in ("#overview-donut", "#overview-years", "#overview-sunburst", "#overview-frame"):
                page.wait_for_selector(f"{selector} .main-svg", timeout=120_000)
            page.wait_for_function("document.querySelectorAll('._dash-loading, .dash-spinner').length === 0")
            took = time.perf_counter() - started
            browser.close()
    finally:
        server.shutdown()
    return round(took, 2)


def floor(url: str) -> dict[str, float]:
    """The goal × money aggregation straight in DuckDB over in-memory tables (ms, median of 20)."""
    import duckdb
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:
        split = pd.read_sql("SELECT project_id, goal_id, source, amount_sek FROM funding_split", conn)
        project = pd.read_sql("SELECT id, status, decision_year, theme_id FROM project", conn)
    con = duckdb.connect()
    con.register("split_df", split)
    con.register("project_df", project)
    con.execute("CREATE TABLE split AS SELECT * FROM split_df")
    con.execute("CREATE TABLE project AS SELECT * FROM project_df")
    sql = """
        SELECT s.goal_id, sum(CASE WHEN s.source = 'anslag_1_1' THEN s.amount_sek ELSE 0 END),
               sum(CASE WHEN s.source <> 'anslag_1_1' THEN s.amount_sek ELSE 0 END), count(DISTINCT s.project_id)
        FROM split s JOIN project p ON p.id = s.project_id
        WHERE p.status IN ('beviljat', 'pagaende', 'avslutat') AND p.decision_year = 2024
        GROUP BY s.goal_id"""
    times = []
    for _ in range(21):
        started = time.perf_counter()
        con.execute(sql).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    pandas_times = []
    decided = project[project["status"].isin(["beviljat", "pagaende", "avslutat"]) & (project["decision_year"] == 2024)]
    for _ in range(5):
        started = time.perf_counter()
        merged = split[split["project_id"].isin(decided["id"])]
        merged.groupby("goal_id").agg(amount=("amount_sek", "sum"), projects=("project_id", "nunique"))
        pandas_times.append((time.perf_counter() - started) * 1000)
    return {
        "duckdb_goal_ms": round(statistics.median(times[1:]), 1),
        "pandas_goal_ms": round(statistics.median(pandas_times), 1),
    }


def machine() -> dict:
    """Cores, memory and versions of the machine the numbers come from."""
    mem_kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "cpu": next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line), ""),
    }


def main() -> int:
    """Build, measure and write bench/out/<db>-<N>.json per size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--no-build", action="store_true", help="reuse the databases built before")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    from dashboard import create_app
    from dashboard.config import Settings

    for n in (int(s) for s in args.sizes.split(",")):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        record: dict = {
            "db": args.db,
            "projects": n,
            "machine": machine(),
            "filters": len(FILTERS),
            "commit": commit.stdout.strip(),
        }
        if not args.no_build:
            print(f"[{args.db} {n}] building …", flush=True)
            record.update(build(args.db, n))
        url = database_url(args.db, n)
        settings = replace(Settings.from_env(), database_url=url, auto_init=False)
        app = create_app(settings)
        from dashboard import analytics
        from dashboard.cache import data_version
        from dashboard.db import get_engine

        engine = get_engine(url)
        mirror = analytics.mirror_for(engine)
        if mirror is not None:  # the app builds it in the background on first use; here before timing
            started = time.perf_counter()
            mirror.wait(data_version(engine))
            record["analytics_copy_s"] = round(time.perf_counter() - started, 1)
        record["analytics"] = analytics.mode() if mirror is None else "duckdb copy"
        started = time.perf_counter()
        callbacks = filter_callbacks(app)
        record["callbacks"] = time_callbacks(app, callbacks)
        record["callbacks_total_s"] = round(time.perf_counter() - started, 1)
        record["server_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        if not args.no_browser:
            record["first_render_s"] = first_render(app)
        record["floor"] = floor(url)
        path = OUT / f"{args.db}-{n}.json"
        path.write_text(json.dumps(record, indent=2), encoding="utf-8")
        worst = max(record["callbacks"].values(), key=lambda r: r["median_ms"])
        print(f"[{args.db} {n}] worst median {worst['median_ms']} ms; written {path}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
