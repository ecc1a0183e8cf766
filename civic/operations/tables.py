"""The dashboard's tables, as plain rows: the admin page shows them, the exports write them,
so a CSV or a spreadsheet holds exactly the numbers on the screen."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass
class Table:
    name: str
    title: str
    headers: list
    rows: list


def percent(value):
    return None if value is None else round(value * 100, 1)


FIGURE_COLUMNS = [
    ("open", _("Open now")),
    ("received", _("Received")),
    ("resolved", _("Resolved")),
    ("on_time_rate", _("Resolved on time (%)")),
    ("median_hours_to_resolve", _("Median hours to resolve")),
    ("satisfaction", _("Satisfied, 4-5 stars (%)")),
    ("reopen_rate", _("Reopened (%)")),
    ("callbacks", _("Follow-up calls made")),
]
RATES = {"on_time_rate", "satisfaction", "reopen_rate", "accept_on_time_rate"}


def _value(row, key):
    value = row.get(key)
    return percent(value) if key in RATES else value


def _breakdown(name, title, first, rows):
    headers = [first] + [label for _key, label in FIGURE_COLUMNS]
    return Table(
        name,
        title,
        headers,
        [[row["label"]] + [_value(row, key) for key, _l in FIGURE_COLUMNS] for row in rows],
    )


HEADLINE = [
    ("open", _("Open now")),
    ("overdue", _("Overdue now")),
    ("received", _("Received")),
    ("resolved", _("Resolved")),
    ("on_time_rate", _("Resolved on time (%)")),
    ("median_hours_to_resolve", _("Median hours to resolve")),
    ("p90_hours_to_resolve", _("Hours to resolve, 90th percentile")),
    ("satisfaction", _("Satisfied, 4-5 stars (%)")),
    ("mean_rating", _("Mean rating")),
    ("reopen_rate", _("Reopened (%)")),
    ("follow_ups", _("Follow-up calls opened")),
    ("callbacks", _("Follow-up calls made")),
    ("callbacks_redo", _("Calls that sent the work back")),
    ("callbacks_escalated", _("Calls escalated to the leaders")),
]


def trend_chart(points, day="start"):
    """What a trend chart draws (dashboard.js): received and resolved per period."""
    return {
        "labels": [point[day].isoformat() for point in points],
        "received": [point["received"] for point in points],
        "resolved": [point["resolved"] for point in points],
    }


def headline_table(headline):
    return Table(
        "headline",
        _("Headline figures"),
        [_("Figure"), _("Value")],
        [[label, _value(headline, key)] for key, label in HEADLINE],
    )


def dashboard_tables(stats):
    """Every table of the dashboard for a ``services.Statistics``, by name."""
    trend = Table(
        "trend",
        _("Trend"),
        [_("From"), _("Received"), _("Accepted"), _("Resolved"), _("Resolved on time (%)")],
        [
            [
                point["start"],
                point["received"],
                point["accepted"],
                point["resolved"],
                percent(point["on_time_rate"]),
            ]
            for point in stats.trend
        ],
    )
    grid = Table(
        "grid",
        _("Open and overdue per grid cell"),
        [_("Code"), _("Area"), _("Open now"), _("Overdue now")],
        [
            [cell["area"].code, cell["area"].localized_name, cell["open"], cell["overdue"]]
            for cell in stats.grid
        ],
    )
    tables = [
        headline_table(stats.headline),
        trend,
        _breakdown("category", _("By category"), _("Category"), stats.by_category),
        _breakdown("department", _("By department"), _("Department"), stats.by_department),
        _breakdown("channel", _("By channel"), _("Channel"), stats.by_channel),
        _breakdown("area", _("By area"), _("Area"), stats.by_area),
        grid,
    ]
    return {table.name: table for table in tables}


def rankings_tables(rankings):
    columns = [
        ("score", _("Score")),
        ("satisfaction", _("Satisfied, 4-5 stars (%)")),
        ("mean_rating", _("Mean rating")),
        ("on_time_rate", _("Resolved on time (%)")),
        ("reopen_rate", _("Reopened (%)")),
        ("received", _("Received")),
        ("resolved", _("Resolved")),
    ]

    def table(name, title, first, rows):
        return Table(
            name,
            title,
            [_("Rank"), first] + [label for _k, label in columns],
            [[r["rank"], r["label"]] + [_value(r, key) for key, _l in columns] for r in rows],
        )

    return {
        "departments": table(
            "departments", _("Departments"), _("Department"), rankings.departments
        ),
        "districts": table("districts", _("Districts"), _("District"), rankings.districts),
    }
