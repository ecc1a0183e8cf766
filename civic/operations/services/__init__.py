"""The operations centre's services: keeping the figures (``figures``) and reading them for
one viewer, within what the viewer may see (``statistics``)."""

from .figures import contribution, rebuild, refresh_report
from .opendata import FIGURE_FIELDS, REPORT_FIELDS, daily_figures, month_trend, public_reports
from .requests import answer_dataset_request, request_dataset
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
    "SCORE_FORMULA",
    "InvalidDateRange",
    "InvalidPeriod",
    "Rankings",
    "Statistics",
    "StatisticsFilter",
    "answer_dataset_request",
    "contribution",
    "daily_figures",
    "month_trend",
    "parse_month",
    "public_rankings",
    "public_reports",
    "rankings",
    "rebuild",
    "refresh_report",
    "request_dataset",
    "score",
    "statistics",
]
