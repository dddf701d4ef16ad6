"""Uploads from the import page: keep the file between preview and confirm,
match its columns to a profile, and build/save hand-made column mappings."""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from ..db import session_scope
from ..models import FUNDING_SOURCES, ImportProfile
from .indicators import ImportFailed, Problem
from .projects import FIELDS, PROFILES, REQUIRED, _norm, read_table

UPLOAD_DIR = Path(tempfile.gettempdir()) / "rus-uploads"
KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAPPABLE = tuple(f for f in FIELDS if f != "county") + tuple(f"funding:{s}" for s in FUNDING_SOURCES)
"""The fields a column can be mapped to (funding sources as ``funding:<source>``)."""
# What a hand-made mapping keeps from the profile it started from (not column names).
_PROFILE_OPTIONS = ("reference_prefix", "status_from_dates", "national", "theme_keywords")


def _clean_name(filename: str) -> str:
    name = Path(filename or "upload").name
    name = re.sub(r"[^\w.\- ]", "_", name)[:120].strip() or "upload"
    return name


def save_upload(contents: str, filename: str, max_bytes: int) -> tuple[str, Path]:
    """Store a dcc.Upload data URL under a random token; returns (token, path).
    Raises :class:`ImportFailed` when it is too large or not base64."""
    _sweep()
    header, _, data = (contents or "").partition(",")
    if not header.endswith(";base64"):
        raise ImportFailed(filename, [Problem.of("file", "-", "upload_unreadable")])
    if len(data) * 3 // 4 > max_bytes + 3:
        raise ImportFailed(filename, [Problem.of("file", "-", "upload_too_large", limit=max_bytes)])
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImportFailed(filename, [Problem.of("file", "-", "upload_unreadable")]) from exc
    token = secrets.token_urlsafe(24)
    folder = UPLOAD_DIR / token
    folder.mkdir(parents=True, mode=0o700)
    path = folder / _clean_name(filename)
    path.write_bytes(raw)
    return token, path


def upload_path(token: str | None, filename: str | None) -> Path | None:
    """The stored upload for a token (None if the token is malformed or expired)."""
    if not token or not _TOKEN.match(token) or not filename:
        return None
    path = UPLOAD_DIR / token / _clean_name(filename)
    return path if path.is_file() else None


def _sweep() -> None:
    """Remove uploads older than a day."""
    if not UPLOAD_DIR.exists():
        return
    cutoff = time.time() - KEEP_SECONDS
    for folder in UPLOAD_DIR.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def file_header(path: Path, max_bytes: int) -> list[str]:
    """The header row of an upload (raises :class:`ImportFailed` for unreadable files)."""
    problems: list[Problem] = []
    _, header, _, _ = read_table(path, problems, max_bytes)
    if problems:
        raise ImportFailed(path.name, problems)
    return [str(h).strip() for h in header if h is not None and str(h).strip()]


def _bare(text: str) -> str:
    return _norm(re.sub(r"\([^)]*\)", "", text))


def match_columns(profile: dict[str, Any], header: list[str]) -> dict[str, str | None]:
    """For every mappable field, the header column the profile would use (or None)."""
    exact = {_norm(h): h for h in reversed(header)}
    bare = {_bare(h): h for h in reversed(header) if _bare(h) != _norm(h)}  # only headers with a unit
    out: dict[str, str | None] = {}
    for key in MAPPABLE:
        names = (
            (profile.get("funding") or {}).get(key.split(":", 1)[1], [])
            if key.startswith("funding:")
            else (profile.get("columns") or {}).get(key, [])
        )
        found = next((exact[_norm(n)] for n in names if _norm(n) in exact), None)
        found = found or next((bare[_bare(n)] for n in names if _bare(n) in bare), None)
        out[key] = found
    return out


def mapping_profile(mapping: dict[str, str | None], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """A profile from a hand-made mapping {field → header column}; options such as
    the reference prefix are kept from ``base`` (the profile the user started from)."""
    profile: dict[str, Any] = {k: v for k, v in (base or {}).items() if k in _PROFILE_OPTIONS}
    profile["columns"] = {k: [v] for k, v in mapping.items() if v and not k.startswith("funding:")}
    profile["funding"] = {k.split(":", 1)[1]: [v] for k, v in mapping.items() if v and k.startswith("funding:")}
    if base and "county" in (base.get("columns") or {}):
        profile["columns"]["county"] = base["columns"]["county"]
    for key in REQUIRED:  # a required field left unmapped is reported as a missing column
        profile["columns"].setdefault(key, [key])
    return profile


def saved_profiles(engine: Engine) -> list[str]:
    """Names of the profiles saved from the import page."""
    with engine.connect() as conn:
        return list(conn.execute(select(ImportProfile.name).order_by(ImportProfile.name)).scalars())


def save_profile(engine: Engine, name: str, profile: dict[str, Any], actor: str) -> None:
    """Save (or replace) a named mapping profile. Builtin names cannot be replaced."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValueError("give the profile a name (at most 100 characters)")
    if name in PROFILES:
        raise ValueError(f"{name!r} is a builtin profile; choose another name")
    with session_scope(engine) as s:
        row = s.scalar(select(ImportProfile).where(ImportProfile.name == name))
        if row is None:
            s.add(ImportProfile(name=name, profile_json=json.dumps(profile, ensure_ascii=False), created_by=actor))
        else:
            row.profile_json = json.dumps(profile, ensure_ascii=False)
            row.created_by = actor
