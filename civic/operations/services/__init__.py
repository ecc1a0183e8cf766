"""The operations centre's services: keeping the figures (``figures``) and reading them for
one viewer, within what the viewer may see (``statistics``)."""

from .opendata import FIGURE_FIELDS, REPORT_FIELDS, daily_figures, month_trend, public_reports
from .figures import contribution, rebuild, refresh_report
from .statistics import (
    SCORE_FORMULA,
    InvalidDateRange,
    InvalidPeriod,
    Rankings,
    Statistics,
    StatisticsFilter,
    parse_month,
    public_rankings,
    rankings,
    score,
    statistics,
)

__all__ = [
    "FIGURE_FIELDS",
    "REPORT_FIELDS",
    "daily_figures",
    "month_trend",
    "public_reports",
    "SCORE_FORMULA",
    "InvalidDateRange",
    "InvalidPeriod",
    "Rankings",
    "Statistics",
    "StatisticsFilter",
    "contribution",
    "parse_month",
    "public_rankings",
    "rankings",
    "rebuild",
    "refresh_report",
    "score",
    "statistics",
]
