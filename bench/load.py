"""Load test: 50 concurrent users browsing and filtering for 60 s against gunicorn.

    .venv/bin/python bench/load.py --projects 1000 --users 50 --seconds 60

Starts ``gunicorn app:server --workers 2 --threads 4`` on a loopback port with the
database that ``bench/run.py`` built for that size, then runs one thread per user.
Each user repeatedly opens a page (index + ``/_dash-layout``) and changes the filter
a few times (the page's filter callbacks as the browser would POST them). Writes
``bench/out/load-<db>-<N>.json`` with requests, failures, throughput and latency.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.run import FILTERS, OUT, database_url, filter_callbacks, payload  # noqa: E402

PAGES = {
    "/": "overview-",
    "/kapital": "capital-",
    "/tema": "theme-",
    "/indikatorer": "indicators-",
    "/projekt": "projects-",
}


def user(base: str, callbacks: dict[str, list[dict]], stop: float, log: list, seed: int) -> None:
    """One user: open a page, filter it 3 times, move on; until ``stop``."""
    rng = random.Random(seed)
    session = requests.Session()
    while time.monotonic() < stop:
        path = rng.choice(list(PAGES))
        calls = [("GET", path, None), ("GET", "/_dash-layout", None)]
        for query in rng.sample(FILTERS, 3):
            calls += [("POST", "/_dash-update-component", payload(cb, query)) for cb in callbacks[path]]
        for method, url, body in calls:
            if time.monotonic() >= stop:
                return
            started = time.perf_counter()
            try:
                response = session.request(method, base + url, json=body, timeout=30)
                ok = response.status_code in (200, 204)
            except requests.RequestException:
                ok = False
            log.append(((time.perf_counter() - started) * 1000, ok, url))


def warm_up(base: str, callbacks: dict[str, list[dict]], limit_s: float = 600) -> float:
    """Until the server answers 16 overview callbacks in a row, each for a filter state
    it has not seen (so no result cache helps), with 200 in under a second: at scale the
    workers first write or open the analytics copy. Seconds taken."""
    started = time.perf_counter()
    overview = callbacks["/"]
    good = 0
    n = 0
    while good < 16 and time.perf_counter() - started < limit_s:
        cb = overview[n % len(overview)]
        query = f"year={2000 + n % 30}&{FILTERS[n % len(FILTERS)]}".rstrip("&")
        n += 1
        t0 = time.perf_counter()
        try:
            ok = requests.post(base + "/_dash-update-component", json=payload(cb, query), timeout=120).ok
        except requests.RequestException:
            ok = False
        good = good + 1 if ok and time.perf_counter() - t0 < 1.0 else 0
        if not good:
            time.sleep(0.5)
    return round(time.perf_counter() - started, 1)


def worker_peak_rss_mb(master: int) -> list[int]:
    """Peak resident memory (VmHWM) of each gunicorn worker, in MB."""
    peaks = []
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        peaks.append(round(kb / 1024))
    return peaks


def main() -> int:
    """Run the load and write the summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    from dashboard import create_app
    from dashboard.config import Settings

    url = database_url(args.db, args.projects)
    server_env = dict(os.environ)
    os.environ["RUS_ANALYTICS"] = "off"  # this process only lists the callbacks; the server has its own copy
    app = create_app(replace(Settings.from_env(), database_url=url, auto_init=False))
    specs = filter_callbacks(app)
    callbacks = {
        path: [cb for cb in specs if cb["outputs"][0]["id"].startswith(prefix)] for path, prefix in PAGES.items()
    }
    env = {**server_env, "DATABASE_URL": url, "RUS_AUTO_INIT": "0"}
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "app:server",
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if requests.get(base + "/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        warmup = warm_up(base, callbacks)
        log: list = []
        stop = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=user, args=(base, callbacks, stop, log, n), daemon=True) for n in range(args.users)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.perf_counter() - started
        workers = worker_peak_rss_mb(gunicorn.pid)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    times = sorted(ms for ms, _, _ in log)
    failed = sum(1 for _, ok, _ in log if not ok)
    callback_times = sorted(ms for ms, _, u in log if u == "/_dash-update-component")
    result = {
        "db": args.db,
        "projects": args.projects,
        "users": args.users,
        "seconds": round(took, 1),
        "requests": len(log),
        "failed": failed,
        "throughput_rps": round(len(log) / took, 1),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "callback_p95_ms": round(callback_times[int(0.95 * (len(callback_times) - 1))], 1),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "server": "gunicorn app:server --workers 2 --threads 4",
        "warmup_s": warmup,
        "worker_peak_rss_mb": workers,
    }
    path = OUT / f"load-{args.db}-{args.projects}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
