"""Indicators, their values and targets."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from ..models import Direction, Goal, Indicator, IndicatorTarget, IndicatorValue
from .common import read_frame

INDICATOR_COLUMNS = [
    "id",
    "code",
    "kpi",
    "name_sv",
    "name_en",
    "unit",
    "kind",
    "higher_is_better",
    "source",
    "updated_at",
    "is_demo",
    "goal",
    "goal_sort",
    "direction",
    "direction_sort",
]
VALUE_COLUMNS = ["indicator", "area", "year", "gender", "value"]
TARGET_COLUMNS = ["indicator", "area", "year", "value", "illustrative"]


def load_indicators(engine: Engine, goals: tuple[str, ...] = ()) -> pd.DataFrame:
    """Indicators with their goal and direction, in strategy order."""
    stmt = (
        select(
            Indicator.id,
            Indicator.code,
            Indicator.kolada_kpi,
            Indicator.name_sv,
            Indicator.name_en,
            Indicator.unit,
            Indicator.kind,
            Indicator.higher_is_better,
            Indicator.source,
            Indicator.updated_at,
            Indicator.is_demo,
            Goal.code,
            Goal.sort,
            Direction.code,
            Direction.sort,
        )
        .outerjoin(Goal, Goal.id == Indicator.goal_id)
        .outerjoin(Direction, Direction.id == Goal.direction_id)
        .order_by(Direction.sort, Goal.sort, Indicator.id)
    )
    if goals:
        stmt = stmt.where(Goal.code.in_(goals))
    return read_frame(engine, stmt, INDICATOR_COLUMNS)


def load_values(engine: Engine, indicator_codes: list[str], areas: list[str]) -> pd.DataFrame:
    """Values ``indicator, area, year, gender, value`` for the indicators and areas."""
    if not indicator_codes:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    stmt = (
        select(
            Indicator.code, IndicatorValue.area_code, IndicatorValue.year, IndicatorValue.gender, IndicatorValue.value
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.code.in_(indicator_codes), IndicatorValue.area_code.in_(areas))
        .order_by(Indicator.code, IndicatorValue.area_code, IndicatorValue.gender, IndicatorValue.year)
    )
    return read_frame(engine, stmt, VALUE_COLUMNS)


def load_targets(engine: Engine, indicator_codes: list[str]) -> pd.DataFrame:
    """Targets ``indicator, area, year, value, illustrative``."""
    if not indicator_codes:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    stmt = (
        select(
            Indicator.code,
            IndicatorTarget.area_code,
            IndicatorTarget.year,
            IndicatorTarget.value,
            IndicatorTarget.illustrative,
        )
        .join(Indicator, Indicator.id == IndicatorTarget.indicator_id)
        .where(Indicator.code.in_(indicator_codes))
        .order_by(Indicator.code, IndicatorTarget.year)
    )
    return read_frame(engine, stmt, TARGET_COLUMNS)
