"""Command-line interface: ``python -m dashboard …`` (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import sys
from collections.abc import Sequence

import pandas as pd
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from .config import Settings
from .db import get_engine
from .filters import FilterState, resolve


class CliError(Exception):
    """A failure to report to the user in one sentence (exit status 1)."""


def _engine(settings: Settings):
    return get_engine(settings.database_url)


def _ensure_schema(settings: Settings) -> None:
    from . import schema

    engine = _engine(settings)
    if schema.current_revision(engine) is None:
        raise CliError(f"the database has no schema yet; run `python -m dashboard init` first ({_safe_url(settings)})")


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    """Create/upgrade the schema; load strategy and demo data if empty."""
    from .bootstrap import init_database

    engine = _engine(settings)
    report = init_database(engine, settings, with_demo=not (args.no_demo or args.empty))
    if args.empty:
        from .demo import in_real_use, mark_real_use

        with engine.begin() as conn:
            if not in_real_use(conn):
                mark_real_use(conn, "init-empty", f"cli:{getpass.getuser()}")
        print("started empty: this database will not get demo data by itself")
    print(f"database ready: {_safe_url(settings)}")
    if report.strategy_loaded:
        s = report.strategy_loaded
        print(f"strategy loaded: {s.goals} goals, {s.priorities} priorities, {s.themes} themes")
    if report.demo_projects:
        print(f"demo data loaded: {report.demo_projects} projects")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Rebuild the demo data."""
    import time

    from .bootstrap import init_database
    from .demo import build_demo

    engine = _engine(settings)
    init_database(engine, settings, with_demo=False)
    if args.remove:
        from .demo import remove_demo

        removed = remove_demo(engine, actor=f"cli:{getpass.getuser()}")
        print(
            f"demo data removed: {removed.projects} projects, {removed.organisations} organisations, "
            f"{removed.indicator_values} indicator values, {removed.frames} budget frames; "
            f"{removed.kept_projects} imported projects kept"
        )
        return 0
    started = time.perf_counter()
    report = build_demo(engine, settings, projects=args.projects, seed=args.seed)
    took = time.perf_counter() - started
    note = "calibrated to the 2024 allocation" if report.calibrated else "not calibrated (scale test size)"
    print(
        f"demo data rebuilt: {report.projects} projects, {report.funding_rows} funding rows, "
        f"{report.indicator_values} indicator values ({note}) in {took:.1f} s"
    )
    return 0


def cmd_strategy_load(args: argparse.Namespace, settings: Settings) -> int:
    """Load (upsert) a strategy file."""
    from dataclasses import replace
    from pathlib import Path

    from . import schema
    from .bootstrap import load_strategy_file

    engine = _engine(settings)
    schema.upgrade(engine)
    report = load_strategy_file(engine, replace(settings, strategy_file=Path(args.file)))
    print(
        f"strategy loaded from {args.file}: {report.goals} goals, {report.priorities} priorities, {report.themes} themes"
    )
    return 0


def _filters_from_args(args: argparse.Namespace, settings: Settings) -> FilterState:
    from .queries.common import load_vocabulary

    f = FilterState(year_from=args.year, year_to=args.year)
    wanted = {
        key: tuple(v.strip() for v in getattr(args, key).split(","))
        for key in ("theme", "municipality")
        if getattr(args, key, None)
    }
    if wanted:
        aliases = load_vocabulary(_engine(settings)).aliases()
        resolved = resolve(FilterState(**wanted), aliases)
        for key, values in wanted.items():
            if len(getattr(resolved, key)) != len(values):
                known = ", ".join(sorted(set(aliases[key].values())))
                raise CliError(f"unknown {key} {getattr(args, key)!r}; known: {known}")
        f = f.with_values(**{key: getattr(resolved, key) for key in wanted})
    return f


def _emit(frame: pd.DataFrame, fmt: str, key: str | None = None) -> str:
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        return json.dumps({key: records} if key else records, ensure_ascii=False, indent=2)
    buf = io.StringIO()
    frame.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buf.getvalue().rstrip("\n")


def cmd_summary_allocation(args: argparse.Namespace, settings: Settings) -> int:
    """Per goal: goal,granted_sek,other_capital_sek,leverage."""
    from .queries.allocation import load_goal_allocation
    from .queries.common import load_vocabulary
    from .transforms import compute_goal_allocation

    _ensure_schema(settings)
    engine = _engine(settings)
    f = _filters_from_args(args, settings)
    vocab = load_vocabulary(engine)
    table = compute_goal_allocation(load_goal_allocation(engine, f), list(vocab.goals["code"]))
    names = dict(zip(vocab.goals["code"], vocab.goals["name_sv"], strict=True))
    out = pd.DataFrame(
        {
            "goal": [names.get(g, g) if isinstance(g, str) else "(utan mål)" for g in table["goal"]],
            "granted_sek": table["granted_sek"].astype("int64"),
            "other_capital_sek": table["other_sek"].astype("int64"),
            "leverage": table["leverage"].round(2),
        }
    )
    print(_emit(out, args.format))
    return 0


def cmd_summary_capital(args: argparse.Namespace, settings: Settings) -> int:
    """Per goal: goal,granted_sek,other_capital_sek,leverage; per source: source,amount_sek."""
    from .models import FUNDING_SOURCES
    from .queries.common import load_vocabulary
    from .queries.money import load_money
    from .transforms import compute_goal_allocation

    _ensure_schema(settings)
    engine = _engine(settings)
    f = _filters_from_args(args, settings)
    vocab = load_vocabulary(engine)
    table = compute_goal_allocation(load_money(engine, f, ["goal"]), list(vocab.goals["code"]))
    names = dict(zip(vocab.goals["code"], vocab.goals["name_sv"], strict=True))
    goals = pd.DataFrame(
        {
            "goal": [names.get(g, g) if isinstance(g, str) else "(utan mål)" for g in table["goal"]],
            "granted_sek": table["granted_sek"].astype("int64"),
            "other_capital_sek": table["other_sek"].astype("int64"),
            "leverage": table["leverage"].round(2),
        }
    )
    by_source = load_money(engine, f, ["source"])
    amounts = dict(zip(by_source["source"], by_source["granted_sek"] + by_source["other_sek"], strict=True))
    sources = pd.DataFrame(
        {"source": list(FUNDING_SOURCES), "amount_sek": [int(amounts.get(s, 0)) for s in FUNDING_SOURCES]}
    )
    if args.format == "json":
        goals_json = json.loads(goals.to_json(orient="records", force_ascii=False))
        sources_json = json.loads(sources.to_json(orient="records", force_ascii=False))
        print(json.dumps({"goals": goals_json, "sources": sources_json}, ensure_ascii=False, indent=2))
    else:
        print(_emit(goals, "csv"))
        print()
        print(_emit(sources, "csv"))
    return 0


def cmd_summary_themes(args: argparse.Namespace, settings: Settings) -> int:
    """Per theme: theme,projects,granted_sek,other_capital_sek,leverage,white_spots."""
    from .queries.common import load_vocabulary
    from .services import theme_table

    _ensure_schema(settings)
    engine = _engine(settings)
    f = _filters_from_args(args, settings)
    vocab = load_vocabulary(engine)
    table = theme_table(engine, f, settings.reference_date, list(vocab.themes["code"]))
    names = dict(zip(vocab.themes["code"], vocab.themes["name_sv"], strict=True))
    out = pd.DataFrame(
        {
            "theme": [names.get(c, c) for c in table["theme"]],
            "projects": table["projects"].astype("int64"),
            "granted_sek": table["granted_sek"].astype("int64"),
            "other_capital_sek": table["other_sek"].astype("int64"),
            "leverage": table["leverage"].round(2),
            "white_spots": table["white_spots"].astype("int64"),
        }
    )
    print(_emit(out, args.format))
    return 0


def cmd_import_indicators(args: argparse.Namespace, settings: Settings) -> int:
    """Import indicator values (Kolada JSON or CSV), all-or-nothing."""
    from .importers.indicators import ImportFailed, import_indicator_values

    _ensure_schema(settings)
    try:
        report = import_indicator_values(
            _engine(settings), args.file, dry_run=args.dry_run, skip_unknown_areas=args.skip_unknown_areas
        )
    except ImportFailed as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1
    verb = "would import" if args.dry_run else "imported"
    skipped = f", {report.skipped_areas} values for other areas skipped" if report.skipped_areas else ""
    print(
        f"{verb} {args.file}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        f" ({', '.join(sorted(report.indicators)) or 'no indicators'}){skipped}"
    )
    return 0


def cmd_summary_indicators(args: argparse.Namespace, settings: Settings) -> int:
    """Per indicator for the region: goal,indicator,kpi,area,latest_year,latest_value,target_value,target_year,status."""
    from .queries.common import load_vocabulary
    from .services import indicator_report, region_area

    _ensure_schema(settings)
    engine = _engine(settings)
    vocab = load_vocabulary(engine)
    goals: tuple[str, ...] = ()
    if args.goal:
        resolved = resolve(FilterState(goal=(args.goal,)), vocab.aliases())
        if not resolved.goal:
            raise CliError(f"unknown goal {args.goal!r}; known goals: {', '.join(vocab.goals['code'])}")
        goals = resolved.goal
    from sqlalchemy import select

    from .models import Strategy

    with engine.connect() as conn:
        county = conn.execute(select(Strategy.county_code).limit(1)).scalar() or "10"
    report = indicator_report(engine, region_area(county), goals)
    names = dict(zip(vocab.goals["code"], vocab.goals["name_sv"], strict=True))
    out = pd.DataFrame(
        {
            "goal": [names.get(g, g) for g in report["goal"]],
            "indicator": report["name_sv"],
            "kpi": report["kpi"].fillna(""),
            "area": report["area"],
            "latest_year": report["latest_year"].astype("Int64"),
            "latest_value": report["latest_value"],
            "target_value": report["target_value"],
            "target_year": report["target_year"].astype("Int64"),
            "status": report["status"],
        }
    )
    print(_emit(out, args.format))
    return 0


def cmd_fetch_kolada(args: argparse.Namespace, settings: Settings) -> int:
    """Fetch KPI values from Kolada's API into a JSON file (and import it unless --no-import)."""
    from .importers.kolada_api import fetch_kpis

    pages = fetch_kpis(args.kpi, args.areas.split(","), base_url=args.base_url)
    with open(args.output, "w", encoding="utf-8") as fh:
        json.dump(pages, fh, ensure_ascii=False)
    n = sum(len(p.get("values", [])) for p in pages)
    print(f"fetched {n} items for {', '.join(args.kpi)} into {args.output}")
    if args.no_import:
        return 0
    args.file, args.dry_run, args.skip_unknown_areas = args.output, False, True
    return cmd_import_indicators(args, settings)


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """Write the yearly report: the PDF to -o, the workbook and chart images beside it."""
    from pathlib import Path

    from .exports.report import build_report

    _ensure_schema(settings)
    out = Path(args.output)
    if out.suffix.lower() != ".pdf":
        raise CliError(f"-o must name a .pdf file, got {args.output!r}")
    pack = build_report(_engine(settings), args.year, args.lang or settings.language)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pack.pdf)
    out.with_suffix(".xlsx").write_bytes(pack.xlsx)
    written = [out, out.with_suffix(".xlsx")]
    for name, png in pack.pngs.items():
        path = out.with_name(f"{out.stem}-{name}.png")
        path.write_bytes(png)
        written.append(path)
    total = int(pack.tables["goals"]["granted_sek"].sum())
    print(f"report {args.year}: {total} kr of 1:1 grants; wrote " + ", ".join(str(p) for p in written))
    return 0


def cmd_import_projects(args: argparse.Namespace, settings: Settings) -> int:
    """Import a project list (xlsx/csv) through a mapping profile, all-or-nothing."""
    from pathlib import Path

    from .importers.indicators import ImportFailed
    from .importers.projects import import_projects, write_rejected

    _ensure_schema(settings)
    try:
        report = import_projects(
            _engine(settings),
            args.file,
            mapping=args.mapping,
            dry_run=args.dry_run,
            reference_date=settings.reference_date,
            actor=f"cli:{getpass.getuser()}",
            only_region=args.only_region,
            skip_invalid=args.skip_invalid,
            ceiling=settings.max_amount_sek,
        )
    except ImportFailed as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning.render(args.file)}", file=sys.stderr)
    verb = "would import" if args.dry_run else "imported"
    skipped = f", {report.skipped} rows outside the region skipped" if report.skipped else ""
    rejected = ""
    if report.rejected:
        source = Path(args.file)
        out = Path(args.rejected) if args.rejected else source.with_name(f"{source.stem}-avvisade.csv")
        write_rejected(report, out, settings.language)
        rejected = f", {len(report.rejected)} invalid rows left out (written with their reasons to {out})"
    print(
        f"{verb} {args.file}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged{skipped}{rejected}"
    )
    return 0


def cmd_export_projects(args: argparse.Namespace, settings: Settings) -> int:
    """Export the (filtered) project list with Swedish headers to .xlsx or .csv."""
    from pathlib import Path

    from .components.projects import EXPORT_COLUMNS, column_headers
    from .exports.tables import to_csv_bytes, to_xlsx_bytes
    from .i18n import status_label, t
    from .models import PROJECT_STATUSES
    from .queries.common import load_vocabulary
    from .queries.projects import load_projects
    from .transforms import compute_project_rows

    _ensure_schema(settings)
    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise CliError(f"-o must end in .xlsx or .csv, got {args.output!r}")
    engine = _engine(settings)
    vocab = load_vocabulary(engine)
    f = _filters_from_args(args, settings)
    lang = settings.language
    rows = compute_project_rows(
        load_projects(engine, f, limit=None),
        goal_names=vocab.goal_labels(lang, short=True),
        theme_names=vocab.theme_labels(lang),
        municipality_names=vocab.municipality_labels(),
        status_names={s: status_label(s, lang) for s in PROJECT_STATUSES},
        whole_county=t("projects.whole_county", lang),
    )
    headers = {c: column_headers(lang, with_units=True)[c] for c in EXPORT_COLUMNS}
    data = (
        to_xlsx_bytes({t("projects.sheet", lang): (rows, headers)})
        if out.suffix.lower() == ".xlsx"
        else to_csv_bytes(rows, headers)
    )
    out.write_bytes(data)
    print(f"exported {len(rows)} projects to {out}")
    return 0


def cmd_export_template(args: argparse.Namespace, settings: Settings) -> int:
    """Write the project import template (profile 'mall') with its allowed values."""
    from pathlib import Path

    from .exports.template import template_workbook

    _ensure_schema(settings)
    Path(args.output).write_bytes(template_workbook(_engine(settings)))
    print(f"wrote the import template to {args.output}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise CliError("the passwords differ")
    return first


def _themes_arg(text: str | None) -> list[str] | None:
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    """Add, change, list and remove logins (roles: viewer, strategist, admin); end a user's sessions.
    Passwords go through the same check as everywhere (length, common passwords, sequences)."""
    from .auth import AuthError, create_user, delete_user, end_sessions_of, list_users, update_user

    _ensure_schema(settings)
    engine = _engine(settings)
    try:
        if args.users_command == "add":
            create_user(engine, args.username, _read_password(args), args.role, _themes_arg(args.themes))
            print(f"user {args.username} ({args.role}) created")
        elif args.users_command == "set":
            update_user(
                engine,
                args.username,
                password=_read_password(args) if args.password or args.password_stdin else None,
                role=args.role,
                themes=_themes_arg(args.themes),
                active=None if args.active is None else args.active == "yes",
            )
            print(f"user {args.username} updated")
        elif args.users_command == "logout":
            end_sessions_of(engine, args.username)
            print(f"every session of {args.username} has ended")
        elif args.users_command == "remove":
            delete_user(engine, args.username)
            print(f"user {args.username} removed")
        else:
            for name, role, active, themes in list_users(engine):
                state = "" if active else " (inactive)"
                print(f"{name}\t{role}{state}\t{','.join(themes)}")
    except AuthError as exc:
        raise CliError(str(exc)) from exc
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of all commands."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="RUS-dashboard command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create/upgrade the schema; load strategy and demo data if the database is empty")
    p.add_argument("--no-demo", action="store_true", help="do not load demo data into an empty database")
    p.add_argument(
        "--empty",
        action="store_true",
        help="schema and strategy only, and mark the database as real: it never gets demo data by itself",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "demo", help="rebuild the demo data (replaces all demo projects; refuses when imported projects exist)"
    )
    p.add_argument("--remove", action="store_true", help="take the demo data out, keep imported projects")
    p.add_argument("--projects", type=int, default=250, help="number of projects (default 250; calibrated up to 2000)")
    p.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("strategy", help="strategy tree commands")
    ssub = p.add_subparsers(dest="strategy_command", required=True)
    sl = ssub.add_parser("load", help="load (upsert by code) a strategy file, YAML or JSON")
    sl.add_argument("file")
    sl.set_defaults(func=cmd_strategy_load)

    p = sub.add_parser("summary", help="print summaries as CSV or JSON")
    ssub = p.add_subparsers(dest="summary_command", required=True)
    sa = ssub.add_parser("allocation", help="1:1 grants and other capital per goal")
    sa.add_argument("--year", type=int, help="decision year (default: all years)")
    sa.add_argument("--theme", help="theme code or name (comma-separated for several)")
    sa.add_argument("--municipality", help="municipality code or name (comma-separated for several)")
    sa.add_argument("--format", choices=("csv", "json"), default="csv")
    sa.set_defaults(func=cmd_summary_allocation)
    sc = ssub.add_parser("capital", help="development capital per goal and per funding source")
    sc.add_argument("--year", type=int, help="decision year (default: all years)")
    sc.add_argument("--theme", help="theme code or name (comma-separated for several)")
    sc.add_argument("--municipality", help="municipality code or name (comma-separated for several)")
    sc.add_argument("--format", choices=("csv", "json"), default="csv")
    sc.set_defaults(func=cmd_summary_capital)
    st = ssub.add_parser("themes", help="money, projects, leverage and white spots per theme")
    st.add_argument("--year", type=int, help="decision year (default: all years)")
    st.add_argument("--format", choices=("csv", "json"), default="csv")
    st.set_defaults(func=cmd_summary_themes)
    si = ssub.add_parser("indicators", help="latest value, target and status per indicator for the region")
    si.add_argument("--goal", help="goal code or name")
    si.add_argument("--format", choices=("csv", "json"), default="csv")
    si.set_defaults(func=cmd_summary_indicators)

    p = sub.add_parser("import", help="import data files")
    isub = p.add_subparsers(dest="import_command", required=True)
    ii = isub.add_parser("indicators", help="indicator values from Kolada API JSON or CSV (kpi,area,year,gender,value)")
    ii.add_argument("file")
    ii.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    ii.add_argument(
        "--skip-unknown-areas",
        action="store_true",
        help="skip values for areas outside the region instead of rejecting the file",
    )
    ii.set_defaults(func=cmd_import_indicators)
    ip = isub.add_parser("projects", help="a project list (.xlsx, .csv or .json) through a column-mapping profile")
    ip.add_argument("file")
    ip.add_argument(
        "--mapping",
        default="mall",
        help="profile: mall (default), arende, projektbanken, a profile saved in the app, or a YAML file",
    )
    ip.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    ip.add_argument(
        "--only-region",
        action="store_true",
        help="from a national list (a profile with national: true and a county column, e.g. projektbanken) keep "
        "only the rows naming the region's county; refused for other profiles",
    )
    ip.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows; write the invalid ones with a reason column to --rejected (default: off, "
        "all-or-nothing)",
    )
    ip.add_argument(
        "--rejected",
        help="where --skip-invalid writes the rows it left out (.csv or .xlsx; default FILE-avvisade.csv beside FILE)",
    )
    ip.set_defaults(func=cmd_import_projects)

    p = sub.add_parser("users", help="logins: add, set, list, remove")
    usub = p.add_subparsers(dest="users_command", required=True)
    ua = usub.add_parser("add", help="add a user (asks for the password, or reads it from stdin)")
    ua.add_argument("username")
    ua.add_argument("--role", choices=("viewer", "strategist", "admin"), required=True)
    ua.add_argument("--themes", help="a strategist's themes, comma-separated codes (e.g. energi,kompetens)")
    ua.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    ua.set_defaults(func=cmd_users)
    us = usub.add_parser(
        "set", help="change a user's role, themes, password or active flag (any change ends their sessions)"
    )
    us.add_argument("username")
    us.add_argument("--role", choices=("viewer", "strategist", "admin"))
    us.add_argument("--themes", help="replace the themes (comma-separated codes; empty string for none)")
    us.add_argument("--password", action="store_true", help="set a new password (asked for)")
    us.add_argument("--password-stdin", action="store_true", help="read the new password from stdin")
    us.add_argument("--active", choices=("yes", "no"))
    us.set_defaults(func=cmd_users)
    uo = usub.add_parser("logout", help="end every session of a user (log out everywhere)")
    uo.add_argument("username")
    uo.set_defaults(func=cmd_users)
    ul = usub.add_parser("list", help="list users with role and themes")
    ul.set_defaults(func=cmd_users)
    ur = usub.add_parser("remove", help="remove a user")
    ur.add_argument("username")
    ur.set_defaults(func=cmd_users)

    p = sub.add_parser("export", help="export data files")
    esub = p.add_subparsers(dest="export_command", required=True)
    ep = esub.add_parser("projects", help="the project list (Swedish headers) to .xlsx or .csv")
    ep.add_argument("-o", "--output", required=True)
    ep.add_argument("--year", type=int, help="decision year")
    ep.add_argument("--theme", help="theme code or name (comma-separated for several)")
    ep.set_defaults(func=cmd_export_projects)
    et = esub.add_parser("template", help="the project import template with allowed values (.xlsx)")
    et.add_argument("-o", "--output", required=True)
    et.set_defaults(func=cmd_export_template)

    p = sub.add_parser("report", help="the yearly report on anslag 1:1 (PDF, plus XLSX and PNGs beside it)")
    p.add_argument("--year", type=int, required=True, help="decision year")
    p.add_argument("-o", "--output", required=True, help="the PDF to write (FILE.pdf)")
    p.add_argument("--lang", choices=("sv", "en"), help="language (default: RUS_LANGUAGE)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("fetch-kolada", help="fetch KPI values from Kolada's open API (needs the network)")
    p.add_argument("kpi", nargs="+", help="Kolada KPI ids, e.g. N00914")
    p.add_argument("--areas", default="0000,0010,1060,1080,1081,1082,1083", help="comma-separated area codes")
    p.add_argument("-o", "--output", default="kolada.json", help="where to save the fetched JSON")
    p.add_argument("--no-import", action="store_true", help="only save the file")
    p.add_argument("--base-url", default="https://api.kolada.se/v3", help="Kolada API base URL")
    p.set_defaults(func=cmd_fetch_kolada)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (non-zero with a readable message on failure)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.func(args, settings) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        print(f"error: cannot use the database: {exc.orig}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: database error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 2
