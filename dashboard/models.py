"""SQLAlchemy 2.x models: strategy tree, themes, organisations, projects,
funding, indicators, budget frames, results, workshop notes and audit events.

Money is integer kronor (``BigInteger``). Shares (project ↔ goal, project ↔
municipality) are integer basis points (1/10 000) so sums are exact; the
shares of one project must add up to :data:`SHARE_SCALE`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, validates

SHARE_SCALE = 10_000
"""Shares are stored in basis points: 10 000 = 100 %."""

PROJECT_STATUSES = ("ide", "ansokt", "beviljat", "pagaende", "avslutat", "avslag", "avbrutet")
"""Maturity ladder idé → ansökt → beviljat → pågående → avslutat; side exits avslag, avbrutet."""

DECIDED_STATUSES = ("beviljat", "pagaende", "avslutat", "avbrutet")
"""Statuses whose 1:1 grant has been decided (counted in the allocation)."""

PLANNED_STATUSES = ("ide", "ansokt", "beviljat")
"""Statuses that can be 'coming in 1–3 years'."""

FUNDING_SOURCES = (
    "anslag_1_1",
    "eruf",
    "esf",
    "interreg",
    "state",
    "municipalities",
    "region_other",
    "academia",
    "private",
    "other",
)
"""Funding source categories; ``anslag_1_1`` is the region's growth grant."""

GRANT_SOURCE = "anslag_1_1"

ORGANISATION_TYPES = (
    "municipality",
    "region",
    "state_agency",
    "university",
    "company",
    "association",
    "eu_programme",
    "other",
)

GENDERS = ("T", "K", "M")

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    """Declarative base with a naming convention (stable Alembic migrations)."""

    metadata = MetaData(naming_convention=_NAMING)


# --------------------------------------------------------------------------- strategy tree


class Strategy(Base):
    __tablename__ = "strategy"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(40))
    vision_sv: Mapped[str | None] = mapped_column(Text)
    region_name: Mapped[str | None] = mapped_column(String(100))
    county_code: Mapped[str | None] = mapped_column(String(2))

    directions: Mapped[list[Direction]] = relationship(
        back_populates="strategy", order_by="Direction.sort", cascade="all, delete-orphan"
    )


class Direction(Base):
    """Strategisk inriktning."""

    __tablename__ = "direction"

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategy.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    strategy: Mapped[Strategy] = relationship(back_populates="directions")
    areas: Mapped[list[DevelopmentArea]] = relationship(
        back_populates="direction", order_by="DevelopmentArea.sort", cascade="all, delete-orphan"
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="direction", order_by="Goal.sort", cascade="all, delete-orphan"
    )


class DevelopmentArea(Base):
    """Utvecklingsområde."""

    __tablename__ = "development_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    direction_id: Mapped[int] = mapped_column(ForeignKey("direction.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    direction: Mapped[Direction] = relationship(back_populates="areas")


class Goal(Base):
    """Mål. ``area_id`` is optional: the published sources do not say which
    development area each goal belongs to."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    direction_id: Mapped[int] = mapped_column(ForeignKey("direction.id", ondelete="CASCADE"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("development_area.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    short_sv: Mapped[str | None] = mapped_column(String(60))
    short_en: Mapped[str | None] = mapped_column(String(60))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    direction: Mapped[Direction] = relationship(back_populates="goals")
    subgoals: Mapped[list[SubGoal]] = relationship(
        back_populates="goal", order_by="SubGoal.sort", cascade="all, delete-orphan"
    )
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="goal", order_by="Priority.sort", cascade="all, delete-orphan"
    )


class SubGoal(Base):
    """Delmål."""

    __tablename__ = "subgoal"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    goal: Mapped[Goal] = relationship(back_populates="subgoals")


class Priority(Base):
    """Prioritering."""

    __tablename__ = "priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    goal: Mapped[Goal] = relationship(back_populates="priorities")


class Theme(Base):
    """Tematiskt område, owned by a tematisk strateg."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(String(200), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    strategist: Mapped[str | None] = mapped_column(String(200))


class ThemePriority(Base):
    """Which strategy priorities a theme is relevant for (drives white spots)."""

    __tablename__ = "theme_priority"

    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id", ondelete="CASCADE"), primary_key=True)


# --------------------------------------------------------------------------- organisations


class Municipality(Base):
    """A municipality with its official four-digit code (e.g. Karlskrona 1080)."""

    __tablename__ = "municipality"
    __table_args__ = (CheckConstraint("length(code) = 4", name="code_len"),)

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    county_code: Mapped[str] = mapped_column(String(2))


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(_in("org_type", ORGANISATION_TYPES), name="org_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    org_type: Mapped[str] = mapped_column(String(20))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))


# --------------------------------------------------------------------------- projects


class Project(Base):
    """A development project. ``decision_year`` mirrors ``decision_date`` (kept
    in sync by a validator) so allocation queries can group and index on it."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint(_in("status", PROJECT_STATUSES), name="status"),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"),
        Index("ix_project_decision_year_status", "decision_year", "status"),
        Index("ix_project_theme_id", "theme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    status: Mapped[str] = mapped_column(String(12))
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision_year: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    expected_results: Mapped[str | None] = mapped_column(Text)
    whole_county: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Moves on with every change; an edit form carries the version it was opened at."""

    owner: Mapped[Organisation | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
    goals: Mapped[list[ProjectGoal]] = relationship(cascade="all, delete-orphan")
    priorities: Mapped[list[ProjectPriority]] = relationship(cascade="all, delete-orphan")
    municipalities: Mapped[list[ProjectMunicipality]] = relationship(cascade="all, delete-orphan")
    funding: Mapped[list[Funding]] = relationship(cascade="all, delete-orphan")
    results: Mapped[list[ProjectResult]] = relationship(cascade="all, delete-orphan")

    @validates("decision_date")
    def _sync_year(self, _key: str, value: date | None) -> date | None:
        self.decision_year = value.year if value else None
        return value


class ProjectGoal(Base):
    """Project ↔ goal with a share in basis points; a project's shares sum to 10 000."""

    __tablename__ = "project_goal"
    __table_args__ = (
        CheckConstraint(f"share_bp > 0 AND share_bp <= {SHARE_SCALE}", name="share_range"),
        Index("ix_project_goal_goal_id", "goal_id"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    share_bp: Mapped[int] = mapped_column(Integer)


class ProjectPriority(Base):
    __tablename__ = "project_priority"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"), primary_key=True)


class ProjectMunicipality(Base):
    """Project ↔ municipality with a share in basis points. A project marked
    ``whole_county`` has no rows here; the others' shares sum to 10 000."""

    __tablename__ = "project_municipality"
    __table_args__ = (CheckConstraint(f"share_bp > 0 AND share_bp <= {SHARE_SCALE}", name="share_range"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), primary_key=True)
    share_bp: Mapped[int] = mapped_column(Integer)


class Funding(Base):
    """One funding row: a project's money from one source (integer kronor)."""

    __tablename__ = "funding"
    __table_args__ = (
        CheckConstraint(_in("source", FUNDING_SOURCES), name="source"),
        CheckConstraint("amount_sek >= 0", name="amount_nonneg"),
        Index("ix_funding_project_source", "project_id", "source", "amount_sek"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    financier_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    amount_sek: Mapped[int] = mapped_column(BigInteger)


class FundingSplit(Base):
    """A funding row split over the project's goals in whole kronor.

    Derived data, rebuilt by :func:`dashboard.splits.refresh_funding_splits`
    whenever funding or goal shares change: each funding row's parts add up
    to its amount exactly (largest remainder), so every aggregate over goals,
    sources, themes and years adds up to the same totals to the krona. A
    project tied to no goal gets one part with ``goal_id`` NULL.
    """

    __tablename__ = "funding_split"
    __table_args__ = (
        Index("ix_funding_split_project", "project_id", "source", "amount_sek"),
        Index("ix_funding_split_goal_source", "goal_id", "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_id: Mapped[int] = mapped_column(ForeignKey("funding.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    amount_sek: Mapped[int] = mapped_column(BigInteger)


class ProjectResult(Base):
    """An expected/achieved result of a project (e.g. 'företag som fått stöd')."""

    __tablename__ = "project_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    measure: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(40))
    planned: Mapped[float | None] = mapped_column(Float)
    achieved: Mapped[float | None] = mapped_column(Float)


# --------------------------------------------------------------------------- indicators

INDICATOR_KINDS = ("share", "rate", "count", "level")
"""What an indicator's number is, which decides how it is shown: a ``share`` is a percent
(its change is in percentage points), a ``rate`` is per 1 000 (or so) and keeps its
decimals, a ``count`` (persons, companies) is a whole number, a ``level`` is anything
else in its unit (tkr, ton CO2e per invånare)."""


def indicator_kind(unit: str | None, name: str | None = None) -> str:
    """The kind of an indicator from its unit and name, when none is given: ``%`` (or
    "andel") is a share, "per 1 000"/"per 100 000" a rate, ``antal`` a count."""
    import re

    unit_l, name_l = (unit or "").strip().lower(), (name or "").lower()
    if unit_l in ("%", "procent", "andel") or unit_l.startswith("%"):
        return "share"
    if re.search(r"\bper\s+(1|10|100)[\s\u00a0]?000\b", f"{unit_l} {name_l}"):
        return "rate"
    if unit_l in ("antal", "st", "personer", "invånare", "företag"):
        return "count"
    if not unit_l and "andel" in name_l:
        return "share"
    return "level"


def _default_kind(context) -> str:  # noqa: ANN001
    """Column default: the kind from the inserted unit and name (also for Core inserts)."""
    params = context.get_current_parameters()
    return indicator_kind(params.get("unit"), params.get("name_sv"))


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (CheckConstraint(_in("kind", INDICATOR_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kolada_kpi: Mapped[str | None] = mapped_column(String(20))
    name_sv: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10), default=_default_kind)
    """See :data:`INDICATOR_KINDS`; derived from the unit and name unless given."""
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=func.now())
    """When the indicator's values were last loaded (the demo build or an import that changed them)."""
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class IndicatorValue(Base):
    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("indicator_id", "area_code", "year", "gender", name="uq_indicator_value_key"),
        CheckConstraint(_in("gender", GENDERS), name="gender"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(String(4))
    year: Mapped[int] = mapped_column(Integer)
    gender: Mapped[str] = mapped_column(String(1), default="T")
    value: Mapped[float] = mapped_column(Float)


class IndicatorTarget(Base):
    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("indicator_id", "area_code", "year", name="uq_indicator_target_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(String(4), default="0010")
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=True)


# --------------------------------------------------------------------------- frames, notes, audit


class BudgetFrame(Base):
    """The board's yearly frame for 1:1 money, in all (goal NULL) or per goal."""

    __tablename__ = "budget_frame"
    __table_args__ = (
        UniqueConstraint("year", "goal_id", name="uq_budget_frame_year_goal"),
        CheckConstraint("amount_sek >= 0", name="amount_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    amount_sek: Mapped[int] = mapped_column(BigInteger)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class WorkshopNote(Base):
    """What the room concluded on a slide of a learning-day / project-day deck."""

    __tablename__ = "workshop_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    deck: Mapped[str] = mapped_column(String(64))
    slide: Mapped[str] = mapped_column(String(64))
    held_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class SurveyAnswer(Base):
    """An anonymous answer from the room: one per device, deck, question and
    target (goal or theme for ratings). ``device`` is a hash, not an identity."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("deck", "question", "target", "device", name="uq_survey_answer_once"),
        Index("ix_survey_answer_deck_question", "deck", "question"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deck: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(64), default="")
    device: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int | None] = mapped_column(Integer)
    choice: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class SurveySubmission(Base):
    """An accepted survey submission, keyed by a hash of the sender's address (kept for an
    hour, see ``workshop.SURVEY_LIMITS``): the answers' rate limit, shared by every worker."""

    __tablename__ = "survey_submission"
    __table_args__ = (Index("ix_survey_submission_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """Who changed what, when, with before/after values (JSON text)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity_id", "entity", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str | None] = mapped_column(String(100))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)


ROLES = ("viewer", "strategist", "admin")


class User(Base):
    """A login. Passwords are stored only as salted hashes (werkzeug scrypt)."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Moves on when every session of the user must end (logout everywhere, password, role, deactivation)."""
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    themes: Mapped[list[UserTheme]] = relationship(cascade="all, delete-orphan")


class LoginFailure(Base):
    """A failed login, keyed ``user:<name>`` or ``addr:<address>`` (kept for an hour; see auth)."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime)


class UserTheme(Base):
    """The themes a strategist is responsible for (and may edit)."""

    __tablename__ = "user_theme"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[Theme] = relationship()


class ImportProfile(Base):
    """A column mapping saved from the import page (same shape as the builtin profiles)."""

    __tablename__ = "import_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    profile_json: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


# --------------------------------------------------------------------------- invariants


class ShareError(ValueError):
    """A project's goal or municipality shares do not add up to 100 %."""


def check_project_shares(session: Session, project_ids: list[int] | None = None) -> None:
    """Raise :class:`ShareError` if any project's goal shares (or municipality
    shares) do not sum to exactly :data:`SHARE_SCALE`, or if a whole-county
    project also names municipalities. Runs as SQL over the flushed state."""
    for table, label in ((ProjectGoal, "goal"), (ProjectMunicipality, "municipality")):
        stmt = select(table.project_id, func.sum(table.share_bp)).group_by(table.project_id)
        if project_ids is not None:
            stmt = stmt.where(table.project_id.in_(project_ids))
        stmt = stmt.having(func.sum(table.share_bp) != SHARE_SCALE)
        bad = session.execute(stmt.limit(5)).all()
        if bad:
            refs = _refs(session, [pid for pid, _ in bad])
            detail = ", ".join(f"{refs[pid]} ({total / 100:g} %)" for pid, total in bad)
            raise ShareError(f"{label} shares must sum to 100 % per project: {detail}")
    stmt = (
        select(Project.id)
        .join(ProjectMunicipality, ProjectMunicipality.project_id == Project.id)
        .where(Project.whole_county.is_(True))
    )
    if project_ids is not None:
        stmt = stmt.where(Project.id.in_(project_ids))
    bad_ids = list(session.scalars(stmt.limit(5)))
    if bad_ids:
        refs = _refs(session, bad_ids)
        raise ShareError("a whole-county project cannot also list municipalities: " + ", ".join(refs.values()))


def _refs(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Project.id, Project.reference).where(Project.id.in_(ids))).all()
    return dict(rows)


@event.listens_for(Session, "before_commit")
def _validate_shares_before_commit(session: Session) -> None:
    """Enforce the share invariant on every commit that touched projects."""
    session.flush()  # the commit's own flush comes after this event; do it now to see all changes
    touched = session.info.pop("touched_projects", None)
    if touched:
        check_project_shares(session, sorted(touched))
        from .splits import refresh_funding_splits

        refresh_funding_splits(session.connection(), sorted(touched))


@event.listens_for(Session, "after_flush")
def _collect_touched(session: Session, _ctx) -> None:  # noqa: ANN001
    touched: set[int] = session.info.setdefault("touched_projects", set())
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, (ProjectGoal, ProjectMunicipality, Funding)):
            touched.add(obj.project_id)
        elif isinstance(obj, Project) and obj.id is not None:
            touched.add(obj.id)


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop("touched_projects", None)
