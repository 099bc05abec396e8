"""deploy/backup/mormal_backup.py run for real: pg_dump, pg_restore, rclone, on the local server."""

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys

import psycopg
import pytest

from tests.deploy.pg import SCRIPT, conninfo, scratch_databases, server_env

PARIS = dt.timezone(dt.timedelta(hours=1))


def load_module():
    spec = importlib.util.spec_from_file_location("mormal_backup", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mormal_backup"] = module
    spec.loader.exec_module(module)
    return module


backup_module = load_module()


def cli(*args, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env or server_env(), capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def databases():
    with scratch_databases() as make:
        yield make


@pytest.fixture
def small_database(databases):
    """A database with a table of accented names, money and bytes, and a sequence."""
    name = databases("src")
    with psycopg.connect(conninfo(name), autocommit=True) as conn:
        conn.execute("CREATE TABLE vendeur (id serial PRIMARY KEY, nom text, commission numeric(5,2), logo bytea)")
        conn.execute("INSERT INTO vendeur (nom, commission, logo) VALUES "
                     "('Fromagerie de l''Abbaye', 12.50, '\\x89504e47'), ('Boulangerie Lefèvre', 8.00, NULL)")
    return name


def rows(database: str):
    with psycopg.connect(conninfo(database)) as conn:
        return conn.execute("SELECT id, nom, commission, logo FROM vendeur ORDER BY id").fetchall()


@pytest.fixture
def media(tmp_path):
    folder = tmp_path / "media"
    (folder / "vendors" / "products").mkdir(parents=True)
    (folder / "vendors" / "products" / "maroilles.jpg").write_bytes(b"\xff\xd8 Maroilles" * 100)
    (folder / "delivery" / "proofs").mkdir(parents=True)
    (folder / "delivery" / "proofs" / "e1.png").write_bytes(b"\x89PNG proof")
    return folder


def test_set_names_sort_in_time_order_and_pruning_keeps_the_newest():
    assert backup_module.labels_for(dt.date(2026, 11, 29)) == {"daily": "2026-11-29", "weekly": "2026-W48",
                                                                "monthly": "2026-11"}
    # the ISO week of 1 January 2027 is still 2026's week 53
    assert backup_module.labels_for(dt.date(2027, 1, 1))["weekly"] == "2026-W53"
    days = [f"2026-11-{d:02d}" for d in range(1, 31)]
    assert backup_module.to_prune(days, 7) == days[:23]
    assert backup_module.to_prune(days[:3], 7) == []


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(small_database, media, databases,
                                                                               tmp_path):
    dest = tmp_path / "backups"
    done = cli("backup", "--dest", str(dest), "--databases", small_database, "--media", f"app={media}",
               "--now", "2026-11-29T03:30:00+01:00")
    assert done.returncode == 0, done.stderr
    backup_set = dest / "daily" / "2026-11-29"
    manifest = json.loads((backup_set / "MANIFEST.json").read_text())
    dump = backup_set / f"{small_database}.dump"
    assert manifest["databases"][small_database]["sha256"] == backup_module.sha256(dump)
    assert manifest["databases"][small_database]["tables"] == 1
    assert manifest["media"]["app"]["files"] == 2
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    target = databases("restored", create=False)
    restored = cli("restore-db", str(dump), target, "--create")
    assert restored.returncode == 0, restored.stderr
    assert rows(target) == rows(small_database)
    with psycopg.connect(conninfo(target)) as conn:  # the sequence carries on after the restored ids
        assert conn.execute("SELECT nextval('vendeur_id_seq')").fetchone()[0] == 3

    back = tmp_path / "media-restored"
    assert cli("restore-media", str(backup_set), "app", str(back)).returncode == 0
    for path in media.rglob("*"):
        if path.is_file():
            assert (back / path.relative_to(media)).read_bytes() == path.read_bytes()


def test_restore_refuses_a_database_that_is_not_empty_and_leaves_it_alone(small_database, databases, tmp_path):
    dest = tmp_path / "backups"
    assert cli("backup", "--dest", str(dest), "--databases", small_database,
               "--now", "2026-11-29T03:30:00+01:00").returncode == 0
    occupied = databases("occupied")
    with psycopg.connect(conninfo(occupied), autocommit=True) as conn:
        conn.execute("CREATE TABLE vendeur (id int, nom text, commission numeric, logo bytea)")
        conn.execute("INSERT INTO vendeur VALUES (99, 'Déjà là', 1, NULL)")

    refused = cli("restore-db", str(dest / "daily" / "2026-11-29" / f"{small_database}.dump"), occupied)

    assert refused.returncode == 1
    assert f"database {occupied} is not empty" in refused.stderr
    assert [r[:2] for r in rows(occupied)] == [(99, "Déjà là")]
    missing = cli("restore-db", str(dest / "daily" / "2026-11-29" / f"{small_database}.dump"), occupied + "_x")
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_a_failed_dump_leaves_no_set_and_no_success_mark(small_database, tmp_path):
    dest = tmp_path / "backups"
    failed = cli("backup", "--dest", str(dest), "--databases", small_database, small_database + "_absent",
                 "--now", "2026-11-29T03:30:00+01:00")
    assert failed.returncode == 1 and "pg_dump" in failed.stderr
    assert [p.name for p in (dest / "daily").iterdir() if not p.name.startswith(".")] == []
    assert not (dest / "last-success").exists()
    assert cli("check", "--dest", str(dest)).returncode == 1


def test_unchanged_media_are_hard_linked_to_the_day_before_and_changed_ones_copied(small_database, media, tmp_path):
    dest = tmp_path / "backups"
    argv = ["backup", "--dest", str(dest), "--databases", small_database, "--media", f"app={media}"]
    assert cli(*argv, "--now", "2026-11-28T03:30:00+01:00").returncode == 0
    proof = media / "delivery" / "proofs" / "e1.png"
    proof.write_bytes(b"\x89PNG another proof")
    os.utime(proof, (proof.stat().st_atime, proof.stat().st_mtime + 10))
    assert cli(*argv, "--now", "2026-11-29T03:30:00+01:00").returncode == 0

    day1, day2 = (dest / "daily" / d / "media" / "app" for d in ("2026-11-28", "2026-11-29"))
    photo = "vendors/products/maroilles.jpg"
    assert (day1 / photo).stat().st_ino == (day2 / photo).stat().st_ino
    assert (day2 / "delivery/proofs/e1.png").read_bytes() == b"\x89PNG another proof"
    assert (day1 / "delivery/proofs/e1.png").read_bytes() == b"\x89PNG proof"


def test_nightly_backups_keep_7_daily_4_weekly_and_every_month(small_database, tmp_path, monkeypatch):
    for key, value in server_env().items():
        monkeypatch.setenv(key, value)
    dest = tmp_path / "backups"
    plan = backup_module.Plan(dest, (small_database,), (), dict(backup_module.DEFAULT_KEEP))
    day = dt.date(2026, 10, 15)
    while day <= dt.date(2026, 11, 20):  # a Thursday to a Friday, across a month end
        backup_module.backup(plan, dt.datetime.combine(day, dt.time(3, 30), PARIS))
        day += dt.timedelta(days=1)

    def kept(tier):
        return sorted(p.name for p in (dest / tier).iterdir())

    assert kept("daily") == [f"2026-11-{d}" for d in range(14, 21)]
    assert kept("weekly") == ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    assert kept("monthly") == ["2026-10", "2026-11"]
    # a weekly or monthly set is the first night of its week or month
    label = json.loads((dest / "weekly" / "2026-W47" / "MANIFEST.json").read_text())["label"]
    assert label == "2026-11-16"
    assert json.loads((dest / "monthly" / "2026-10" / "MANIFEST.json").read_text())["label"] == "2026-10-15"
    assert backup_module.last_success(dest) == dt.datetime(2026, 11, 20, 3, 30, tzinfo=PARIS)


def test_the_health_check_fails_once_the_last_backup_is_over_a_day_old(small_database, tmp_path):
    dest = tmp_path / "backups"
    assert cli("backup", "--dest", str(dest), "--databases", small_database,
               "--now", "2026-11-29T03:30:00+01:00").returncode == 0
    fresh = cli("check", "--dest", str(dest), "--now", "2026-11-30T03:00:00+01:00")
    stale = cli("check", "--dest", str(dest), "--now", "2026-11-30T06:00:00+01:00")
    assert fresh.returncode == 0
    assert stale.returncode == 1 and "26.5 h old" in stale.stderr


def test_the_off_site_copy_mirrors_the_sets_with_rclone(small_database, media, tmp_path):
    dest, remote = tmp_path / "backups", tmp_path / "offsite"
    env = server_env() | {"BACKUP_OFFSITE_REMOTE": str(remote)}
    done = cli("backup", "--dest", str(dest), "--databases", small_database, "--media", f"app={media}",
               "--now", "2026-11-29T03:30:00+01:00", env=env)
    assert done.returncode == 0, done.stderr
    for path in (dest / "daily" / "2026-11-29").rglob("*"):
        if path.is_file():
            assert (remote / path.relative_to(dest)).read_bytes() == path.read_bytes()
    assert (remote / "monthly" / "2026-11" / f"{small_database}.dump").exists()


def test_the_next_run_is_at_the_configured_local_time():
    at = dt.time(3, 30)
    assert backup_module.seconds_until(at, dt.datetime(2026, 11, 29, 1, 30, tzinfo=PARIS)) == 2 * 3600
    assert backup_module.seconds_until(at, dt.datetime(2026, 11, 29, 4, 30, tzinfo=PARIS)) == 23 * 3600
