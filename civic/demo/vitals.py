"""Demo city vital signs: thirteen indicators across the five domains, a sensor of each kind
in every district, thirty days of hourly history, and this hour's readings evaluated by the
real evaluator — which opens a few warnings (a river high in one district, poor air in
another, noise in a third)."""

import math
import random
from datetime import timedelta

from django.utils import timezone

from civic.areas.models import Area, AreaKind
from civic.departments.models import Department
from civic.vitals import services
from civic.vitals.models import Indicator, IndicatorValue, Sensor
from civic.vitals.services.grading import SPIKE_HYSTERESIS, SPIKE_THRESHOLDS
from reports.models import Category

# (measure, unit, typical value, daily swing, noise)
# measure: unit, typical, daily swing, noise. Typical ± swing ± four times the noise stays inside
# the lowest threshold at every hour, so only the incidents below open warnings.
SENSOR_KINDS = {
    "water_level": ("m", 2.2, 0.3, 0.05),
    "aqi": ("AQI", 68, 15, 3.5),
    "noise": ("dB", 50, 5, 1.2),
    "traffic": ("index", 1.2, 0.25, 0.04),
    "wifi_uptime": ("%", 99.3, 0.3, 0.2),
}
SPIKE = dict(
    {f"threshold_{level}": value for level, value in SPIKE_THRESHOLDS.items()},
    hysteresis=SPIKE_HYSTERESIS,
)
# code, zh, en, domain, unit, scope, source, departments, what, direction, thresholds IV..I, extra
INDICATORS = [
    (
        "open-reports",
        "未办结诉求",
        "Open reports",
        "public_services",
        "件",
        "district",
        "figure",
        ["urban-management"],
        {"figure": "open_reports"},
        "above",
        (40, 60, 90, 120),
        {},
    ),
    (
        "satisfaction",
        "群众满意率",
        "Satisfaction",
        "public_services",
        "",
        "district",
        "figure",
        ["urban-management"],
        {"figure": "satisfaction", "window_minutes": 30 * 1440},
        "below",
        (0.8, 0.7, 0.6, 0.5),
        {"hysteresis": 0.02},
    ),
    (
        "on-time-rate",
        "按时办结率",
        "Resolved on time",
        "public_services",
        "",
        "district",
        "figure",
        ["urban-management"],
        {"figure": "on_time_rate", "window_minutes": 30 * 1440},
        "below",
        (0.85, 0.75, 0.65, 0.5),
        {"hysteresis": 0.02},
    ),
    (
        "reopen-rate",
        "重办率",
        "Reopen rate",
        "governance",
        "",
        "district",
        "figure",
        ["urban-management"],
        {"figure": "reopen_rate", "window_minutes": 30 * 1440},
        "above",
        (0.08, 0.12, 0.18, 0.25),
        {"hysteresis": 0.01},
    ),
    (
        "overdue-reports",
        "超期诉求",
        "Overdue reports",
        "governance",
        "件",
        "district",
        "figure",
        ["urban-management"],
        {"figure": "overdue_reports"},
        "above",
        (5, 10, 20, 40),
        {},
    ),
    (
        "water-leak-spike",
        "漏水诉求突增",
        "Water leak reports spike",
        "governance",
        "",
        "street",
        "spike",
        ["water"],
        {"category": "water-leak"},
        "above",
        None,
        SPIKE,
    ),
    (
        "dumping-spike",
        "乱倒垃圾诉求突增",
        "Dumping reports spike",
        "governance",
        "",
        "street",
        "spike",
        ["sanitation"],
        {"category": "illegal-dumping"},
        "above",
        None,
        SPIKE,
    ),
    (
        "wifi-uptime",
        "公共 Wi-Fi 可用率",
        "Public Wi-Fi uptime",
        "digital_economy",
        "%",
        "district",
        "sensor",
        ["urban-management"],
        {"measure": "wifi_uptime"},
        "below",
        (98, 95, 90, 80),
        {"hysteresis": 0.5},
    ),
    (
        "reports-received",
        "当日受理诉求",
        "Reports received today",
        "digital_economy",
        "件",
        "city",
        "figure",
        ["urban-management"],
        {"figure": "received", "window_minutes": 1440},
        "above",
        (300, 500, 800, 1200),
        {},
    ),
    (
        "aqi",
        "空气质量指数",
        "Air quality index",
        "environment",
        "AQI",
        "district",
        "sensor",
        ["urban-management"],
        {"measure": "aqi"},
        "above",
        (100, 150, 200, 300),
        {"hysteresis": 5},
    ),
    (
        "noise",
        "环境噪声",
        "Ambient noise",
        "environment",
        "dB",
        "district",
        "sensor",
        ["urban-management"],
        {"measure": "noise"},
        "above",
        (60, 65, 70, 75),
        {"hysteresis": 1},
    ),
    (
        "water-level",
        "河道水位",
        "River level",
        "safety",
        "m",
        "district",
        "sensor",
        ["water"],
        {"measure": "water_level"},
        "above",
        (3.0, 3.5, 4.0, 4.5),
        {"hysteresis": 0.1},
    ),
    (
        "traffic",
        "道路拥堵指数",
        "Traffic congestion",
        "safety",
        "",
        "district",
        "sensor",
        ["traffic"],
        {"measure": "traffic"},
        "above",
        (1.6, 1.8, 2.0, 2.2),
        {"hysteresis": 0.05},
    ),
]
# This hour's incidents: (district index, measure, value).
INCIDENTS = [(0, "water_level", 3.7), (1, "aqi", 165), (2, "noise", 61.5)]
HISTORY_DAYS = 30


def _indicator(spec):
    (
        code,
        name,
        name_en,
        domain,
        unit,
        scope,
        source,
        departments,
        what,
        direction,
        limits,
        extra,
    ) = spec
    fields = dict(
        name=name,
        name_en=name_en,
        domain=domain,
        unit=unit,
        scope=scope,
        source=source,
        direction=direction,
        window_minutes=what.get("window_minutes", 120),
        **extra,
    )
    if "category" in what:
        fields["category"] = Category.objects.filter(service_code=what["category"]).first()
    fields.update({key: what[key] for key in ("figure", "measure") if key in what})
    if limits:
        fields.update({f"threshold_{4 - n}": limit for n, limit in enumerate(limits)})
    indicator, created = Indicator.objects.get_or_create(code=code, defaults=fields)
    if created:
        indicator.departments.set(Department.objects.filter(code__in=departments))
    return indicator, created


def _wave(rng, typical, swing, noise, at):
    """A value that rises through the local day from 8 o'clock and falls through the night."""
    hour = timezone.localtime(at).hour
    return typical + swing * math.sin(2 * math.pi * (hour - 8) / 24) + rng.gauss(0, noise)


def _history(indicator, areas, rng, now):
    """Thirty days of hourly values: what the evaluator would have stored."""
    kind = SENSOR_KINDS.get(indicator.measure)
    start = (now - timedelta(days=HISTORY_DAYS)).replace(minute=0, second=0, microsecond=0)
    calm = indicator.threshold(4)
    rows = []
    for area in areas:
        for hour in range(HISTORY_DAYS * 24):
            at = start + timedelta(hours=hour)
            if kind:
                value = _wave(rng, kind[1], kind[2], kind[3], at)
            elif indicator.source == "spike":
                value = abs(rng.gauss(0.3, 0.4))
            else:
                below = indicator.direction == "below"
                value = calm * (1.08 if below else 0.6) + rng.gauss(0, abs(calm) * 0.03)
            rows.append(
                IndicatorValue(
                    indicator=indicator,
                    area=area,
                    time=at,
                    value=round(value, 3),
                    downsampled=hour < (HISTORY_DAYS - 7) * 24,
                )
            )
    IndicatorValue.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def seed(progress=iter):
    """Returns how many indicators were created (none on a second run)."""
    rng = random.Random(17)
    now = timezone.now()
    districts = list(Area.objects.filter(kind=AreaKind.DISTRICT).order_by("code"))
    if not districts:
        return 0
    made = []
    for spec in progress(INDICATORS):
        indicator, created = _indicator(spec)
        if created:
            made.append(indicator)
            scope = list(Area.objects.filter(kind=indicator.scope).order_by("code")[:12])
            _history(indicator, scope, rng, now)
    if not made:
        return 0
    readings = []
    for index, district in enumerate(districts):
        lat, lon = district.centre
        for measure, (unit, typical, swing, noise) in SENSOR_KINDS.items():
            code = f"{district.code.lower()}-{measure.replace('_', '-')}"
            Sensor.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"{district.name} {measure}",
                    "measure": measure,
                    "unit": unit,
                    "area": district,
                    "lat": lat,
                    "lon": lon,
                },
            )
            incident = {(i, m): v for i, m, v in INCIDENTS}.get((index, measure))
            for minutes in (50, 30, 10):
                at = now - timedelta(minutes=minutes)
                value = incident or _wave(rng, typical, swing, noise, at)
                readings.append({"sensor": code, "time": at.isoformat(), "value": round(value, 2)})
    services.ingest(readings)
    services.evaluate_indicators(now)
    return len(made)
