"""The app's reads under load, against a bare Django view under the same gunicorn (issue 15).

Run with ``./dev bench tests/bench/bench_load.py`` (it needs PostgreSQL, Redis and ``wrk``;
``./dev bench`` installs wrk with apt-get when it is missing). It

1. prepares its own PostgreSQL database (``LOAD_DATABASE_URL``, by default
   ``postgres://postgres@127.0.0.1:5432/civic_bench_load``): migrates it, seeds the demo and fills
   it up to ``LOAD_REPORTS`` reports (100,000) and ``LOAD_THREADS`` threads (10,000) with
   ``tests/bench/scale_data.py`` (kept between runs: a second run adds nothing);
2. starts gunicorn with 4 sync workers in production mode (DEBUG off, that database with
   persistent connections, the Redis cache at ``LOAD_REDIS_URL``, by default Redis database 6,
   emptied first; only persisted GraphQL operations accepted, as the app sends them) on the
   bench URLconf ``tests/bench/urls.py``: the project's URLs plus the bare view;
3. runs ``wrk`` (2 threads, 16 connections, ``LOAD_SECONDS`` each, 5 by default) against the
   bare view and each of the eight reads and their mix, interleaved, ``LOAD_ROUNDS`` rounds
   (3), after a warm-up round;
4. prints each read's requests per second as a ratio to the bare view's (all rounds' requests
   over all rounds' time), the median over rounds of p50/p95/p99, non-2xx answers and wrong
   answers (a 2xx without the read's marker, or with GraphQL ``errors``), then each worker's
   resident memory before and after the load.

Goals (issue 15): the mix at ≥ 0.3× the bare view, each GraphQL list at ≥ 0.25×, no errors.
The figures are printed, not asserted (the machine is shared); errors are asserted.
"""

import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from civic.api.documents import manifest
from tests.bench.conftest import report

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DATABASE_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civic_bench_load"
)
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/6")
REPORTS = int(os.environ.get("LOAD_REPORTS", "100000"))
THREADS = int(os.environ.get("LOAD_THREADS", "10000"))
THREAD_ARGS = ("--threads", str(THREADS))
SECONDS = int(os.environ.get("LOAD_SECONDS", "5"))
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "3"))
CONNECTIONS = 16
WORKERS = 4
GRAPHQL_LISTS = ("reports page 1", "nearbyReports 500 m", "threads(order: HOT)", "caseStudies")


def _server_env(**extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civic.settings",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def _production_env():
    env = _server_env(
        DEBUG="false",
        SECRET_KEY="load-benchmark-only",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        # Templates only build static addresses: no collectstatic for the manifest.
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        DB_CONN_MAX_AGE="600",
        GRAPHQL_PERSISTED_ONLY="true",
        ROOT_URLCONF="tests.bench.urls",
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def _prepare_database():
    """Create, migrate and fill the load database (a no-op once it is full)."""
    name = urlsplit(DATABASE_URL).path.strip("/")
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", server, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", server, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    env = _server_env(DEBUG="true")
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [PYTHON, "-m", "tests.bench.scale_data", *("--reports", str(REPORTS)), *THREAD_ARGS],
        env=env,
        check=True,
        cwd=ROOT,
    )


_TARGETS_SCRIPT = """
import json
from forums.models import Space
from reports import queries
public = queries.public_reports()
ids = list(public.order_by("-id").values_list("id", flat=True)[:200])
open_report = (
    public.filter(state__in=["submitted", "accepted", "assigned", "in_progress"])
    .order_by("-id")
    .first()
)
print(json.dumps({
    "report_ids": ids,
    "near": [open_report.lat, open_report.lon],
    "space": Space.objects.filter(kind="public").values_list("slug", flat=True).first(),
}))
"""


def _targets_data():
    out = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", _TARGETS_SCRIPT],
        env=_server_env(DEBUG="true"),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@dataclass
class Target:
    name: str
    requests: list  # (method, path, headers, body)
    markers: list
    rounds: list = field(default_factory=list)


def _persisted(name, variables):
    operations = manifest()
    body = {
        "operationName": name,
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": operations[name]["sha256"]}},
    }
    headers = {"Content-Type": "application/json", "Accept-Language": "zh-hans"}
    return ("POST", "/graphql/", headers, json.dumps(body, separators=(",", ":")))


def _page(path):
    return ("GET", path, {"Accept-Language": "zh-hans"}, None)


def _targets(data):
    rng = random.Random(15)
    ids = data["report_ids"]
    lat, lon = data["near"]
    reads = [
        Target(
            "reports page 1",
            [_persisted("ReportFeed", {"first": 20})],
            ['"reports":{"edges":[{"node"'],
        ),
        Target(
            "nearbyReports 500 m",
            [_persisted("NearbyReports", {"lat": lat, "lon": lon, "radius": 500, "first": 20})],
            ['"nearbyReports":[{'],
        ),
        Target(
            "threads(order: HOT)",
            [_persisted("Threads", {"space": data["space"], "order": "HOT", "first": 20})],
            ['"threads":{"edges":[{"node"'],
        ),
        Target(
            "leaderboard",
            [_persisted("Leaderboard", {"period": "ALL", "first": 20})],
            ['"leaderboard":['],
        ),
        Target(
            "caseStudies",
            [_persisted("CaseLibrary", {"first": 20})],
            ['"caseStudies":{'],
        ),
        Target("portal home page", [_page("/")], ['id="main"']),
        Target(
            "report page",
            [_page(f"/reports/{pk}/") for pk in rng.sample(ids, min(50, len(ids)))],
            ['id="main"'],
        ),
        Target(
            "Open311 requests.json",
            [_page("/open311/v2/requests.json")],
            ['"service_request_id"'],
        ),
    ]
    mix = Target(
        "the eight mixed",
        [target.requests[0] for target in reads],
        sorted({marker for target in reads for marker in target.markers}),
    )
    bare = Target(
        "bare view", [_page(f"/bench/bare/{pk}/") for pk in ids[:50]], ['"report": {"id"']
    )
    return bare, [*reads, mix]


def _lua_string(text):
    return "[==[" + text + "]==]"


def _lua_script(target):
    requests = []
    for method, path, headers, body in target.requests:
        header_table = ", ".join(
            f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items()
        )
        body_text = _lua_string(body) if body is not None else "nil"
        requests.append(
            f"{{{_lua_string(method)}, {_lua_string(path)}, {{{header_table}}}, {body_text}}}"
        )
    markers = ", ".join(_lua_string(m) for m in target.markers)
    return f"""
local threads = {{}}
REQUESTS = {{{", ".join(requests)}}}
MARKERS = {{{markers}}}
function setup(thread) table.insert(threads, thread) end
function init(args)
  non2xx = 0
  wrong = 0
  formatted = {{}}
  for _, r in ipairs(REQUESTS) do
    table.insert(formatted, wrk.format(r[1], r[2], r[3], r[4]))
  end
  -- each thread starts at another place in the list
  counter = math.random(#formatted)
end
function request()
  counter = counter % #formatted + 1
  return formatted[counter]
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    return
  end
  local found = false
  for _, marker in ipairs(MARKERS) do
    if string.find(body, marker, 1, true) then found = true break end
  end
  if not found or string.find(body, '"errors":', 1, true) then wrong = wrong + 1 end
end
function done(summary, latency, requests)
  local n, w = 0, 0
  for _, t in ipairs(threads) do
    n = n + t:get("non2xx")
    w = w + t:get("wrong")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {{"requests": %d, "duration": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"non2xx": %d, "wrong": %d, "socket_errors": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), n, w, e.connect + e.read + e.write + e.timeout))
end
"""


def _wrk(base, script, seconds):
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", "-s", script, base],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        pytest.fail(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    return json.loads(line.removeprefix("RESULT "))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _workers_rss(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def _wait_until_up(base, server, log):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{Path(log).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/bench/bare/1/", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail("gunicorn did not answer within two minutes")


def _warm_up(base, script):
    """Until every worker answers the bare view quickly: each one imports the URLs, the schema
    and the templates on its first request, which takes seconds."""
    for _attempt in range(60):
        result = _wrk(base, script, 3)
        if result["requests"] > 100 and result["p99"] < 500_000:
            return
    pytest.fail("the workers are still slow after three minutes of warming up")


def _drain(base):
    """Wait until the workers have finished what the last run left queued (a sync worker
    finishes a request whose client has gone): the next run must not pay for it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(base + "/bench/bare/1/", timeout=120):
            pass
        if time.monotonic() - started < 0.2:
            return
        time.sleep(0.5)


def _flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def test_reads_under_load_against_a_bare_view():
    if shutil.which("wrk") is None:
        pytest.skip("wrk is missing: ./dev bench installs it (apt-get install wrk)")
    _prepare_database()
    bare, reads = _targets(_targets_data())
    _flush_redis()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    log = workdir / "gunicorn.log"
    server = subprocess.Popen(
        [
            *(PYTHON, "-m", "gunicorn", "civic.wsgi", "--workers", str(WORKERS)),
            *("--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
        ],
        env=_production_env(),
        cwd=ROOT,
        stdout=open(log, "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(base, server, log)
        rss_before = _workers_rss(server.pid)
        scripts = {}
        for target in [bare, *reads]:
            scripts[target.name] = workdir / f"{len(scripts)}.lua"
            scripts[target.name].write_text(_lua_script(target))
        _warm_up(base, scripts[bare.name])
        for target in [bare, *reads]:  # warm-up: caches, connections, imports
            _wrk(base, scripts[target.name], 2)
            _drain(base)
        for _round in range(ROUNDS):
            for target in [bare, *reads]:
                target.rounds.append(_wrk(base, scripts[target.name], SECONDS))
                _drain(base)
        rss_after = _workers_rss(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    def rate(target):
        return sum(r["requests"] for r in target.rounds) / (
            sum(r["duration"] for r in target.rounds) / 1e6
        )

    def ms(target, key):
        return statistics.median(r[key] for r in target.rounds) / 1000

    bare_rate = rate(bare)
    assert bare_rate > 0, f"the bare view answered nothing: {bare.rounds}"
    rows = [("", "req/s  ratio   p50    p95    p99   non-2xx wrong socket")]
    failures = []
    for target in [bare, *reads]:
        non2xx = sum(r["non2xx"] for r in target.rounds)
        wrong = sum(r["wrong"] for r in target.rounds)
        socket_errors = sum(r["socket_errors"] for r in target.rounds)
        goal = ""
        if target.name in GRAPHQL_LISTS:
            goal = "  (goal ≥ 0.25)"
        elif target.name == "the eight mixed":
            goal = "  (goal ≥ 0.30)"
        rows.append(
            (
                target.name,
                f"{rate(target):6.0f} {rate(target) / bare_rate:5.3f} "
                f"{ms(target, 'p50'):6.1f} {ms(target, 'p95'):6.1f} {ms(target, 'p99'):6.1f} "
                f"{non2xx:7d} {wrong:5d} {socket_errors:6d}{goal}",
            )
        )
        if non2xx or wrong or socket_errors:
            failures.append(target.name)
    rows.append(("workers' memory (MB)", ""))
    rows.append(("  after start", " ".join(f"{m:.0f}" for m in rss_before)))
    rows.append(("  after the load", " ".join(f"{m:.0f}" for m in rss_after)))
    report(
        f"gunicorn, {WORKERS} sync workers, production settings, PostgreSQL and Redis; wrk, "
        f"{CONNECTIONS} connections, {ROUNDS} interleaved rounds of {SECONDS} s; "
        f"≥{REPORTS:,} reports, ≥{THREADS:,} threads (times in ms)",
        rows,
    )
    assert not failures, f"errors or wrong answers: {failures}; see {log}"
