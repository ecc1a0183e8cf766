"""Feed a running server plausible readings through its real ingest endpoint: every active
sensor each step, with a daily rhythm and noise, and an incident — the river in one district
rising past every threshold."""

import json
import math
import random
import time
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from civic.vitals.models import Sensor

# measure: (typical, daily swing, noise)
PROFILES = {
    "water_level": (2.2, 0.3, 0.05),
    "aqi": (70, 20, 6),
    "noise": (52, 6, 1.5),
    "traffic": (1.3, 0.35, 0.05),
    "wifi_uptime": (99.3, 0.3, 0.2),
}
INCIDENT_PEAK = 4.3  # metres: past level I of the demo's river level


class Command(BaseCommand):
    help = (
        "Post plausible sensor readings to a running server's /vitals/readings with an API "
        "key, including a rising river in one district that crosses the thresholds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="The server, e.g. http://127.0.0.1:8000")
        parser.add_argument(
            "--key", required=True, help="A sensor API key (admin: Sensor API keys)."
        )
        parser.add_argument("--steps", type=int, default=60)
        parser.add_argument("--interval", type=float, default=10, help="Seconds between steps.")
        parser.add_argument(
            "--incident", default="", help="District code of the flood (default: the first)."
        )
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args, url, key, steps, interval, incident, seed, **options):
        sensors = list(Sensor.objects.filter(is_active=True).select_related("area"))
        if not sensors:
            raise CommandError("No active sensors: run seed_demo or add sensors in the admin.")
        incident = incident or min(sensor.area.code for sensor in sensors)
        rng = random.Random(seed)
        endpoint = url.rstrip("/") + "/vitals/readings"
        for step in range(steps):
            now = timezone.now()
            readings = [
                {
                    "sensor": s.code,
                    "time": now.isoformat(),
                    "value": self._value(s, step, steps, incident, now, rng),
                    "unit": s.unit,
                }
                for s in sensors
            ]
            answer = self._post(endpoint, key, readings)
            self.stdout.write(
                f"{now:%H:%M:%S} stored {answer['stored']}, refused {len(answer['refused'])}"
            )
            if interval and step < steps - 1:
                time.sleep(interval)

    def _value(self, sensor, step, steps, incident, now, rng):
        typical, swing, noise = PROFILES.get(sensor.measure, (1.0, 0.1, 0.02))
        if sensor.measure == "water_level" and sensor.area.code == incident:
            rise = (INCIDENT_PEAK - typical) * min(1.0, (step + 1) / max(1, steps - 1))
            return round(typical + rise, 2)
        hour = now.hour + now.minute / 60
        value = typical + swing * math.sin(2 * math.pi * (hour - 8) / 24) + rng.gauss(0, noise)
        return round(value, 2)

    def _post(self, endpoint, key, readings):
        request = urllib.request.Request(
            endpoint,
            data=json.dumps({"readings": readings}).encode(),
            headers={"Content-Type": "application/json", "X-Api-Key": key},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            raise CommandError(f"{exc.code}: {exc.read().decode(errors='replace')}") from exc
        except urllib.error.URLError as exc:
            raise CommandError(f"Cannot reach {endpoint}: {exc.reason}") from exc
