#!/usr/bin/env python3
"""Back up the marketplace's databases and media, keep a rotation, and restore from it.

Standard library only: it runs in the `backup` service (postgres image + python3 + rclone) and
in the tests against the local PostgreSQL. PostgreSQL is reached through libpq's own variables
(PGHOST, PGPORT, PGUSER, PGPASSWORD), so pg_dump, pg_restore and psql need no arguments for it.

    mormal_backup.py backup        one backup set now (daily/<date>), promotion, pruning, off-site
    mormal_backup.py schedule      run `backup` every day at BACKUP_AT (the service's command)
    mormal_backup.py check         exit 1 when the last good backup is older than --max-age-hours
    mormal_backup.py restore-db    DUMP DATABASE: load a dump into an empty database
    mormal_backup.py restore-media SET NAME TARGET: copy one media folder of a set back

Layout of BACKUP_DIR::

    daily/2026-11-29/      mormal.dump, saleor.dump (pg_dump custom format),
                           media/<name>/... (files; unchanged ones hard-linked to the day before),
                           MANIFEST.json (sizes, SHA-256, pg_dump version, tables per dump)
    weekly/2026-W48/       hard links to the first daily set of that ISO week
    monthly/2026-11/       hard links to the first daily set of that month
    last-success           label and time of the last complete set (the health check reads it)

Kept: the newest 7 daily, 4 weekly and 12 monthly sets (``--keep-*``). A set is built in a
hidden ``.partial-*`` folder and renamed when complete, so a crash never leaves a half set that
looks good.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TIERS = ("daily", "weekly", "monthly")
DEFAULT_KEEP = {"daily": 7, "weekly": 4, "monthly": 12}
MANIFEST = "MANIFEST.json"
LAST_SUCCESS = "last-success"


class BackupError(Exception):
    """A step failed; the message says which and why (shown to the operator as is)."""


def log(message: str) -> None:
    """One line on stdout, with the local time (the container's log)."""
    print(f"{dt.datetime.now().isoformat(timespec='seconds')} {message}", flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command; raise :class:`BackupError` with its stderr when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise BackupError(f"{' '.join(command[:3])} failed (exit {done.returncode}): {done.stderr.strip()[-1500:]}")
    return done


# --- labels and rotation (pure) -------------------------------------------------------------

def labels_for(day: dt.date) -> dict[str, str]:
    """The set names a backup taken on ``day`` gets in each tier (sortable as text)."""
    year, week, _ = day.isocalendar()
    return {"daily": day.isoformat(), "weekly": f"{year}-W{week:02d}", "monthly": f"{day:%Y-%m}"}


def to_prune(labels: list[str], keep: int) -> list[str]:
    """Labels beyond the ``keep`` newest (labels sort in time order)."""
    ordered = sorted(labels, reverse=True)
    return sorted(ordered[keep:])


# --- file copies ----------------------------------------------------------------------------

def copy_tree_linking_unchanged(source: Path, target: Path, previous: Path | None) -> dict[str, int]:
    """Copy ``source`` into ``target``; a file equal in size and mtime in ``previous`` is hard-linked.

    Returns
    -------
    dict
        ``files``, ``linked`` and ``bytes`` (bytes actually copied).
    """
    stats = {"files": 0, "linked": 0, "bytes": 0}
    target.mkdir(parents=True, exist_ok=True)
    for folder, dirs, files in os.walk(source):
        dirs.sort()
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            src, dst = Path(folder) / name, target / relative / name
            if src.is_symlink() or not src.is_file():
                continue
            stats["files"] += 1
            before = previous / relative / name if previous else None
            info = src.stat()
            if before and before.is_file():
                old = before.stat()
                if old.st_size == info.st_size and int(old.st_mtime) == int(info.st_mtime):
                    os.link(before, dst)
                    stats["linked"] += 1
                    continue
            shutil.copy2(src, dst)
            stats["bytes"] += info.st_size
    return stats


def link_tree(source: Path, target: Path) -> None:
    """Recreate ``source`` at ``target`` with hard links (no extra space)."""
    shutil.copytree(source, target, copy_function=os.link)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- backup ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """What one backup covers and where it goes."""

    dest: Path
    databases: tuple[str, ...]
    media: tuple[tuple[str, Path], ...]
    keep: dict[str, int]
    offsite: str = ""


def dump_database(database: str, target: Path) -> dict:
    """``pg_dump --format=custom`` of ``database`` into ``target``, then read back its table of contents.

    Raises
    ------
    BackupError
        When pg_dump fails or pg_restore cannot read what it wrote.
    """
    run(["pg_dump", "--format=custom", "--no-password", f"--file={target}", database])
    toc = run(["pg_restore", "--list", str(target)]).stdout
    tables = sum(1 for line in toc.splitlines() if " TABLE DATA " in line)
    if tables == 0:
        raise BackupError(f"the dump of {database} holds no table data: is it the right database?")
    return {"file": target.name, "bytes": target.stat().st_size, "sha256": sha256(target), "tables": tables}


def previous_set(daily: Path, label: str) -> Path | None:
    """The newest daily set older than ``label``, the base for hard-linked media."""
    older = sorted(p for p in daily.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name < label) \
        if daily.exists() else []
    return older[-1] if older else None


def backup(plan: Plan, now: dt.datetime) -> Path:
    """Make today's set, promote it to weekly and monthly when they lack one, prune, push off-site.

    Returns
    -------
    Path
        The new daily set.

    Raises
    ------
    BackupError
        When a dump or a copy fails (nothing half-made is left as a set).
    """
    labels = labels_for(now.date())
    daily = plan.dest / "daily"
    daily.mkdir(parents=True, exist_ok=True)
    partial = daily / f".partial-{labels['daily']}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    manifest: dict = {"label": labels["daily"], "started": now.isoformat(), "databases": {}, "media": {},
                      "pg_dump": run(["pg_dump", "--version"]).stdout.strip()}
    for database in plan.databases:
        log(f"dumping {database}")
        manifest["databases"][database] = dump_database(database, partial / f"{database}.dump")
    base = previous_set(daily, labels["daily"])
    for name, source in plan.media:
        if not source.is_dir():
            raise BackupError(f"media folder {name}={source} does not exist")
        log(f"copying media {name} from {source}")
        manifest["media"][name] = copy_tree_linking_unchanged(
            source, partial / "media" / name, base / "media" / name if base else None)
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")

    final = daily / labels["daily"]
    if final.exists():  # a second run the same day replaces the first
        shutil.rmtree(final)
    partial.rename(final)
    for tier in ("weekly", "monthly"):
        promoted = plan.dest / tier / labels[tier]
        if not promoted.exists():
            promoted.parent.mkdir(parents=True, exist_ok=True)
            link_tree(final, promoted)
            log(f"kept as {tier}/{labels[tier]}")
    prune(plan.dest, plan.keep)
    (plan.dest / LAST_SUCCESS).write_text(f"{labels['daily']} {now.isoformat()}\n", encoding="utf-8")
    log(f"backup {labels['daily']} complete: {', '.join(plan.databases)}; media {', '.join(n for n, _ in plan.media)}")
    if plan.offsite:
        push_offsite(plan.dest, plan.offsite)
    return final


def prune(dest: Path, keep: dict[str, int]) -> list[str]:
    """Delete sets beyond each tier's ``keep``; return the deleted ``tier/label`` names."""
    deleted = []
    for tier in TIERS:
        folder = dest / tier
        if not folder.exists():
            continue
        labels = [p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
        for label in to_prune(labels, keep[tier]):
            shutil.rmtree(folder / label)
            deleted.append(f"{tier}/{label}")
    if deleted:
        log(f"pruned {', '.join(deleted)}")
    return deleted


def push_offsite(dest: Path, remote: str) -> None:
    """Mirror ``dest`` to an rclone remote (deleted sets are deleted there too).

    Raises
    ------
    BackupError
        When rclone fails; the local sets are kept either way.
    """
    log(f"pushing to {remote}")
    run(["rclone", "sync", str(dest), remote, "--exclude", ".partial-*/**", "--exclude", LAST_SUCCESS])
    log("off-site copy up to date")


# --- restore --------------------------------------------------------------------------------

def psql_value(database: str, sql: str) -> str:
    """First column of the first row of ``sql`` run in ``database``."""
    return run(["psql", "--no-password", "-X", "-At", "-d", database, "-c", sql]).stdout.strip()


def database_exists(database: str) -> bool:
    """Whether the server has ``database``."""
    return psql_value("postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{database}'") == "1"


def user_relations(database: str) -> int:
    """Tables, views and sequences outside the system schemas."""
    return int(psql_value(database, (
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
        "AND c.relkind IN ('r', 'v', 'm', 'S', 'p')")))


def restore_database(dump: Path, database: str, *, create: bool = False, owner: str = "") -> int:
    """Load ``dump`` into ``database``, which must be empty (or missing, with ``create``).

    The restore runs in one transaction: on any error the database stays empty. With ``owner``,
    every object is created by that role instead of the dumped owners.

    Returns
    -------
    int
        Tables, views and sequences in the restored database.

    Raises
    ------
    BackupError
        When the dump is unreadable, the database is missing or not empty, or pg_restore fails.
    """
    if not dump.is_file():
        raise BackupError(f"no dump at {dump}")
    run(["pg_restore", "--list", str(dump)])
    if not database_exists(database):
        if not create:
            raise BackupError(f"database {database} does not exist: create it empty first, or pass --create")
        run(["createdb", "--no-password", *(["--owner", owner] if owner else []), database])
    elif (count := user_relations(database)) > 0:
        raise BackupError(
            f"database {database} is not empty ({count} tables, views or sequences): restore only into an "
            "empty database. Drop and re-create it (see docs/operations.md), or restore under another name.")
    options = ["--no-owner", f"--role={owner}"] if owner else []
    run(["pg_restore", "--no-password", "--exit-on-error", "--single-transaction", *options,
         "-d", database, str(dump)])
    restored = user_relations(database)
    log(f"restored {dump} into {database}: {restored} tables, views and sequences")
    return restored


def restore_media(backup_set: Path, name: str, target: Path) -> int:
    """Copy the media folder ``name`` of ``backup_set`` into ``target`` (existing files replaced).

    Returns
    -------
    int
        Files copied.
    """
    source = backup_set / "media" / name
    if not source.is_dir():
        raise BackupError(f"{backup_set} has no media folder {name!r}")
    stats = copy_tree_linking_unchanged(source, target, None)
    log(f"restored {stats['files']} media files of {name} into {target}")
    return stats["files"]


# --- schedule and health ------------------------------------------------------------------------

def last_success(dest: Path) -> dt.datetime | None:
    """When the last complete set was made, or None."""
    marker = dest / LAST_SUCCESS
    if not marker.exists():
        return None
    return dt.datetime.fromisoformat(marker.read_text(encoding="utf-8").split()[1])


def seconds_until(at: dt.time, now: dt.datetime) -> float:
    """Seconds from ``now`` to the next ``at`` (local time), tomorrow if it has passed today."""
    target = dt.datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    if target <= now:
        target += dt.timedelta(days=1)
    return (target - now).total_seconds()


def schedule(plan: Plan, at: dt.time) -> None:
    """Back up now if the last set is over a day old, then every day at ``at``; never returns."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        now = dt.datetime.now().astimezone()
        last = last_success(plan.dest)
        if last is None or now - last > dt.timedelta(hours=24):
            try:
                backup(plan, now)
            except BackupError as exc:
                log(f"BACKUP FAILED: {exc}")
        wait = seconds_until(at, dt.datetime.now().astimezone())
        log(f"next backup in {wait / 3600:.1f} h")
        time.sleep(wait)


def plan_from(args: argparse.Namespace) -> Plan:
    """The backup plan from the command line, falling back to the BACKUP_* environment."""
    media = []
    for item in args.media or os.environ.get("BACKUP_MEDIA", "").split():
        name, _, path = item.partition("=")
        if not name or not path:
            raise BackupError(f"media {item!r} must be NAME=PATH")
        media.append((name, Path(path)))
    databases = tuple(args.databases or os.environ.get("BACKUP_DATABASES", "").split())
    if not databases:
        raise BackupError("no database to back up: pass --databases or set BACKUP_DATABASES")
    keep = {tier: getattr(args, f"keep_{tier}") for tier in TIERS}
    return Plan(Path(args.dest), databases, tuple(media), keep,
                args.offsite if args.offsite is not None else os.environ.get("BACKUP_OFFSITE_REMOTE", ""))


def main(argv: list[str] | None = None) -> int:
    """Command line; exit 0 on success, 1 on a failed step (message on stderr), 2 on bad usage."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("backup", "schedule"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--dest", default=os.environ.get("BACKUP_DIR", "/backups"))
        cmd.add_argument("--databases", nargs="+")
        cmd.add_argument("--media", nargs="+", metavar="NAME=PATH")
        cmd.add_argument("--offsite", default=None, help="rclone remote:path (default BACKUP_OFFSITE_REMOTE)")
        for tier in TIERS:
            cmd.add_argument(f"--keep-{tier}", type=int, default=DEFAULT_KEEP[tier])
    sub.choices["backup"].add_argument("--now", help="ISO date-time of this backup (default: now)")
    sub.choices["schedule"].add_argument("--at", default=os.environ.get("BACKUP_AT", "03:30"), help="HH:MM local")
    check = sub.add_parser("check")
    check.add_argument("--dest", default=os.environ.get("BACKUP_DIR", "/backups"))
    check.add_argument("--max-age-hours", type=float, default=26)
    check.add_argument("--now", help="ISO date-time to compare with (default: now)")
    rdb = sub.add_parser("restore-db")
    rdb.add_argument("dump", type=Path)
    rdb.add_argument("database")
    rdb.add_argument("--create", action="store_true", help="create the database when it does not exist")
    rdb.add_argument("--owner", default="", help="role that owns the restored objects (default: as dumped)")
    rmedia = sub.add_parser("restore-media")
    rmedia.add_argument("set", type=Path, help="a backup set, e.g. /backups/daily/2026-11-29")
    rmedia.add_argument("name", help="media folder name, e.g. app or saleor")
    rmedia.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now()
            backup(plan_from(args), now.astimezone() if now.tzinfo is None else now)
        elif args.command == "schedule":
            schedule(plan_from(args), dt.time.fromisoformat(args.at))
        elif args.command == "check":
            now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now().astimezone()
            last = last_success(Path(args.dest))
            if last is None:
                print(f"no complete backup in {args.dest} yet", file=sys.stderr)
                return 1
            age = (now.astimezone() - last).total_seconds() / 3600
            if age > args.max_age_hours:
                print(f"last complete backup is {age:.1f} h old (limit {args.max_age_hours} h)", file=sys.stderr)
                return 1
            print(f"last complete backup {age:.1f} h ago")
        elif args.command == "restore-db":
            restore_database(args.dump, args.database, create=args.create, owner=args.owner)
        elif args.command == "restore-media":
            restore_media(args.set, args.name, args.target)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
