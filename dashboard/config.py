"""Immutable application settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SQLITE_PATH = DATA_DIR / "rus.sqlite"
DEFAULT_STRATEGY_FILE = DATA_DIR / "strategy" / "vaxtplats-blekinge.yaml"
SUPPORTED_LANGUAGES = ("sv", "en")


def default_database_url() -> str:
    """The embedded default: a SQLite file under ``data/``."""
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


@dataclass(frozen=True)
class Settings:
    """Application settings.

    ``reference_date`` is "today" for everything relative (status of demo
    projects, the 1–3 year window); fixing it makes demo data and tests
    reproducible.
    """

    database_url: str = field(default_factory=default_database_url)
    language: str = "sv"
    reference_date: date = date(2026, 11, 27)
    strategy_file: Path = DEFAULT_STRATEGY_FILE
    auto_init: bool = True
    demo_projects: int = 250
    demo_seed: int = 2024
    public_url: str = ""
    require_login: bool = False
    secret_key: str = ""
    secure_cookies: bool = False
    max_upload_bytes: int = 20 * 1024 * 1024
    max_amount_sek: int = 100_000_000_000
    """The largest amount (and row total) an import, the edit form or the CLI accepts."""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from environment variables (``DATABASE_URL``,
        ``RUS_LANGUAGE``, ``RUS_REFERENCE_DATE``, ``RUS_STRATEGY_FILE``,
        ``RUS_AUTO_INIT``, ``RUS_PUBLIC_URL``, ``RUS_REQUIRE_LOGIN``, ``RUS_SECRET_KEY``,
        ``RUS_SECURE_COOKIES``, ``RUS_MAX_UPLOAD_MB``, ``RUS_MAX_AMOUNT_SEK``)."""
        env = dict(os.environ if env is None else env)
        language = env.get("RUS_LANGUAGE", "sv").strip().lower() or "sv"
        if language not in SUPPORTED_LANGUAGES:
            raise ValueError(f"RUS_LANGUAGE={language!r} is not supported; use one of {', '.join(SUPPORTED_LANGUAGES)}")
        ref = env.get("RUS_REFERENCE_DATE", "").strip()
        try:
            reference_date = date.fromisoformat(ref) if ref else cls.reference_date
        except ValueError as exc:
            raise ValueError(f"RUS_REFERENCE_DATE={ref!r} is not a date (YYYY-MM-DD)") from exc
        return cls(
            database_url=env.get("DATABASE_URL", "").strip() or default_database_url(),
            language=language,
            reference_date=reference_date,
            strategy_file=Path(env.get("RUS_STRATEGY_FILE", "") or DEFAULT_STRATEGY_FILE),
            auto_init=env.get("RUS_AUTO_INIT", "1").strip() not in ("0", "false", "no"),
            public_url=env.get("RUS_PUBLIC_URL", "").strip(),
            require_login=_flag(env.get("RUS_REQUIRE_LOGIN", "0")),
            secret_key=env.get("RUS_SECRET_KEY", "").strip(),
            secure_cookies=_flag(env.get("RUS_SECURE_COOKIES", "0")),
            max_upload_bytes=int(float(env.get("RUS_MAX_UPLOAD_MB", "20") or 20) * 1024 * 1024),
            max_amount_sek=_positive_int(env, "RUS_MAX_AMOUNT_SEK", cls.max_amount_sek),
        )


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    """A whole number above zero from ``env[name]`` (spaces allowed: ``100 000``), or ``default``."""
    text = env.get(name, "").replace(" ", "").replace("_", "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) <= 0 or int(text) > 10**15:
        raise ValueError(f"{name}={env[name]!r} is not a whole number of kronor between 1 and 10^15")
    return int(text)


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")
