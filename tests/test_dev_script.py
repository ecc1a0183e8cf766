"""``./dev up`` tells the address it really serves at, whatever ``ADDRESS`` says; ``./dev test``
runs the suite in parallel, then the race tests one at a time. Run on a copy of the script whose
virtualenv's python only records what it was asked to run (and with which ``BASE_URL`` and
``ALLOWED_HOSTS``), so nothing is installed, migrated, served or tested."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE_PYTHON = """#!/bin/sh
echo "$* | BASE_URL=$BASE_URL | ALLOWED_HOSTS=$ALLOWED_HOSTS" >> "$(dirname "$0")/calls"
case "$*" in *"${FAIL_WHEN:-no such call}"*) exit 1 ;; esac
"""


def dev(tmp_path, command, *args, **env):
    shutil.copy(ROOT / "dev", tmp_path / "dev")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(FAKE_PYTHON)
    (bin_dir / "python").chmod(0o755)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / ".venv" / ".installed-pyproject")
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ADDRESS", "BASE_URL", "ALLOWED_HOSTS", "CI", "TEST_WORKERS")
    }
    result = subprocess.run(
        ["bash", str(tmp_path / "dev"), command, *args],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls = (bin_dir / "calls").read_text().splitlines() if (bin_dir / "calls").exists() else []
    return result, calls


def dev_up(tmp_path, **env):
    return dev(tmp_path, "up", **env)


def dev_test(tmp_path, *args, **env):
    result, calls = dev(tmp_path, "test", *args, CHROMIUM="/bin/sh", **env)
    return result, [call.split(" | ")[0] for call in calls]


@pytest.mark.parametrize(
    ("address", "url", "allowed"),
    [
        (None, "http://127.0.0.1:8000", ""),
        ("9000", "http://127.0.0.1:9000", ""),
        ("0.0.0.0:8000", "http://127.0.0.1:8000", "*"),
        ("[::]:8080", "http://[::1]:8080", "*"),
        ("localhost:8001", "http://localhost:8001", ""),
        ("192.168.1.20:8000", "http://192.168.1.20:8000", "127.0.0.1,localhost,192.168.1.20"),
    ],
)
def test_dev_up_says_where_it_serves(tmp_path, address, url, allowed):
    result, calls = dev_up(tmp_path, **({"ADDRESS": address} if address else {}))
    assert result.returncode == 0, result.stderr
    assert f"Serving the portal at {url} (Ctrl-C stops it)" in result.stderr
    assert ("every interface" in result.stderr) == (allowed == "*")
    seed, serve = calls[-2:]
    # The demo's printed addresses and email links follow the served address.
    assert seed.startswith("manage.py seed_demo")
    assert f"BASE_URL={url} " in seed
    assert serve.startswith(f"manage.py runserver {address or '127.0.0.1:8000'} ")
    assert serve.endswith(f"| ALLOWED_HOSTS={allowed}")


def test_what_is_set_already_is_kept(tmp_path):
    result, calls = dev_up(
        tmp_path,
        ADDRESS="0.0.0.0:8000",
        BASE_URL="https://demo.example.org",
        ALLOWED_HOSTS="demo.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert calls[-1].endswith("BASE_URL=https://demo.example.org | ALLOWED_HOSTS=demo.example.org")


def test_an_address_runserver_would_not_take_is_refused_before_anything_runs(tmp_path):
    result, calls = dev_up(tmp_path, ADDRESS="http://0.0.0.0:8000")
    assert result.returncode == 1
    assert "ADDRESS=http://0.0.0.0:8000 is not PORT, HOST:PORT or [IPv6]:PORT" in result.stderr
    assert calls == []


def test_dev_test_runs_in_parallel_then_the_race_tests_keeping_the_database(tmp_path):
    result, calls = dev_test(tmp_path, "-p", "no:randomly", "tests/forums", TEST_WORKERS="3")
    assert result.returncode == 0, result.stderr
    assert calls == [
        "-m pytest --reuse-db -n 3 -m not serial -p no:randomly tests/forums",
        "-m pytest --reuse-db -m serial -p no:randomly tests/forums",
    ]
    assert "In parallel: passed; one at a time: passed" in result.stderr


def test_ci_builds_the_test_database_afresh(tmp_path):
    _result, calls = dev_test(tmp_path, CI="true", TEST_WORKERS="2")
    assert [call.split()[2] for call in calls] == ["--create-db", "--create-db"]


def test_either_part_failing_fails_the_run_after_both_ran(tmp_path):
    for part, failing in (("parallel", "not serial"), ("serial", "-m serial")):
        (tmp_path / part).mkdir()
        result, calls = dev_test(tmp_path / part, TEST_WORKERS="2", FAIL_WHEN=failing)
        assert result.returncode == 1
        assert len(calls) == 2
        assert "failed (pytest exit status 1)" in result.stderr


@pytest.mark.parametrize(
    ("args", "env"),
    [
        ((), {"TEST_WORKERS": "0"}),
        (("-m", "e2e"), {"TEST_WORKERS": "2"}),
        (("-n", "4"), {}),
    ],
)
def test_one_worker_or_a_chosen_selection_runs_pytest_once_as_given(tmp_path, args, env):
    result, calls = dev_test(tmp_path, *args, **env)
    assert result.returncode == 0, result.stderr
    assert calls == [" ".join(["-m pytest --reuse-db", *args])]
