"""Benchmark: import a large project list through the command line, as a user would.

    .venv/bin/python bench/imports.py --rows 50000 --db sqlite
    .venv/bin/python bench/imports.py --rows 50000 --db postgresql

It writes a deterministic CSV of N projects in the template's columns (Swedish
amounts, several goals and municipalities per project), then runs, each in a fresh
process on a fresh database (schema and strategy only):

- ``dry_run``: ``python -m dashboard import projects FILE --dry-run``;
- ``import``: the same without ``--dry-run`` (everything created);
- ``reimport``: the same file again (everything unchanged).

For each it records wall time and the process's peak memory (max RSS) in
``bench/out/import-<db>-<N>.json`` and prints them. Targets (issue 14): 50 000
rows validated and imported in at most 20 s, the dry run no slower than the import,
at most 500 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_SERVER = os.environ.get("RUS_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
HEADER = [
    "Referens",
    "Titel",
    "Projektägare",
    "Tematiskt område",
    "Status",
    "Beslutsdatum",
    "Startdatum",
    "Slutdatum",
    "Mål",
    "Kommuner",
    "Anslag 1:1 (kr)",
    "ERUF (kr)",
    "Kommuner (kr)",
    "Privat (kr)",
]
THEMES = ["Energi", "Kompetensförsörjning", "Digitalisering", "Transport", "Kultur", "Besöksnäring"]
GOALS = ["klimat", "arbete", "konkurrenskraft", "attraktivitet", "halsa", "naringsliv"]
MUNIS = ["Karlskrona", "Ronneby", "Karlshamn", "Sölvesborg", "Olofström"]
STATUSES = ["idé", "ansökt", "beviljat", "pågående", "avslutat"]


def _kr(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def write_list(path: Path, rows: int, seed: int = 1) -> None:
    """A deterministic project list of ``rows`` projects."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(HEADER)
        for i in range(rows):
            year = rng.randint(2019, 2026)
            goals = rng.sample(GOALS, rng.choice((1, 1, 2)))
            shares = [100] if len(goals) == 1 else [60, 40]
            w.writerow(
                [
                    f"B-{i:06d}",
                    f"Projekt {i}",
                    f"Organisation {i % 700}",
                    rng.choice(THEMES),
                    rng.choice(STATUSES),
                    f"{year}-{rng.randint(1, 12):02d}-15",
                    f"{year}-{rng.randint(1, 12):02d}-01",
                    f"{year + 2}-12-31",
                    "; ".join(f"{g} {s}" for g, s in zip(goals, shares, strict=True)),
                    ", ".join(rng.sample(MUNIS, rng.choice((1, 1, 2)))),
                    _kr(rng.randrange(100_000, 3_000_000, 1_000)),
                    _kr(rng.randrange(0, 5_000_000, 1_000)),
                    f"{rng.randint(1, 900)},5 tkr",
                    _kr(rng.randrange(0, 2_000_000, 500)),
                ]
            )


def _fresh_database(db: str, folder: Path) -> str:
    if db == "sqlite":
        path = folder / "import-bench.sqlite"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS rus_import_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE rus_import_bench"))
    admin.dispose()
    return f"{PG_SERVER}/rus_import_bench"


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB of the child, its output)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dashboard", *argv], env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed:\n{done.stderr[-2000:]}")
    return took, rss, done.stdout.strip().splitlines()[-1]


def main() -> None:
    """Run the benchmark and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"import-{args.rows}.csv"
    write_list(path, args.rows)
    url = _fresh_database(args.db, OUT)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "dashboard", "init", "--empty"], env=env, check=True, capture_output=True)
    result: dict[str, object] = {"rows": args.rows, "db": args.db, "bytes": path.stat().st_size}
    for name, extra in (("dry_run", ["--dry-run"]), ("import", []), ("reimport", [])):
        # each step in its own process: ru_maxrss of children is the largest so far, so run the
        # lightest first (the dry run) and note that a later figure can only show a higher peak
        took, rss, line = _run(["import", "projects", str(path), *extra], env)
        result[name] = {"seconds": round(took, 2), "peak_rss_mb": round(rss), "output": line}
        print(f"{name:9s} {took:6.1f} s  peak {rss:5.0f} MB  {line[:120]}")
    (OUT / f"import-{args.db}-{args.rows}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
