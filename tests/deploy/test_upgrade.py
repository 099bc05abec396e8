"""deploy/upgrade.sh run by bash with a `docker` that only records what it is asked to do.

Docker cannot run here; the script's order is what protects the data, so it is what is tested.
"""

import os
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "upgrade.sh"


def run_upgrade(tmp_path, fail_on: str = ""):
    """Run the script with a recording `docker` first on PATH; return (exit code, recorded calls)."""
    bin_dir, record = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    fake = bin_dir / "docker"
    fake.write_text(f"""#!/bin/sh
echo "$*" >> {record}
case "$*" in *"{fail_on or '@never@'}"*) exit 1;; esac
""")
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    calls = record.read_text().splitlines() if record.exists() else []
    return done.returncode, calls


def position(calls, pattern):
    matches = [i for i, call in enumerate(calls) if re.search(pattern, call)]
    assert matches, f"no call matches {pattern!r} in {calls}"
    return matches[0]


def test_upgrade_backs_up_drains_the_workers_migrates_then_restarts(tmp_path):
    code, calls = run_upgrade(tmp_path)
    assert code == 0, calls
    order = [r"^compose build --pull", r"^compose pull", r"run --rm --no-deps backup backup$", r"stop beat$",
             r"stop worker saleor-worker$", r"saleor-api python3 manage.py migrate", r"web python manage.py migrate",
             r"^compose up -d .*--wait"]
    positions = [position(calls, p) for p in order]
    assert positions == sorted(positions), calls


def test_a_failed_migration_leaves_the_stack_as_it_was(tmp_path):
    code, calls = run_upgrade(tmp_path, fail_on="web python manage.py migrate")
    assert code != 0
    assert not any(call.startswith("compose up -d --remove-orphans") for call in calls)


def test_the_services_the_script_names_exist_and_workers_get_time_to_finish(tmp_path):
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    named = re.findall(r"^\S+ (?:stop|up -d|run --rm --no-deps) ([a-z][a-z\- ]*?)(?: python3? .*| backup)?$",
                       SCRIPT.read_text(), re.M)
    assert {"backup", "beat", "saleor-api", "web"} <= {n for group in named for n in group.split()}, named
    for group in named:
        for name in group.split():
            assert name in services, name

    def minutes(value: str) -> float:
        number, unit = re.fullmatch(r"(\d+)(s|m)", value).groups()
        return int(number) / (60 if unit == "s" else 1)

    assert minutes(services["worker"]["stop_grace_period"]) >= 5
    assert minutes(services["saleor-worker"]["stop_grace_period"]) >= 1
