"""Helpers for tests that run the backup script against the local PostgreSQL server."""

import os
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "backup" / "mormal_backup.py"


def server_env() -> dict[str, str]:
    """libpq variables for the server of ``DATABASE_URL``, and a PATH with the venv's tools (rclone)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(PGHOST=url.hostname or "127.0.0.1", PGPORT=str(url.port or 5432), PGUSER=url.username or "postgres")
    if url.password:
        env["PGPASSWORD"] = url.password
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def conninfo(database: str) -> str:
    env = server_env()
    password = f" password={env['PGPASSWORD']}" if "PGPASSWORD" in env else ""
    return f"host={env['PGHOST']} port={env['PGPORT']} user={env['PGUSER']} dbname={database}{password}"


def unique_name(label: str) -> str:
    """A database name of our own: this run's test database name, the label and a random part."""
    base = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") or "mormal"
    return f"{base}_{label}_{uuid.uuid4().hex[:6]}"


@contextmanager
def scratch_databases():
    """Yield a ``make(label, create=True)`` that names (and creates) databases dropped on exit."""
    made: list[str] = []

    def make(label: str, create: bool = True) -> str:
        name = unique_name(label)
        made.append(name)
        if create:
            with psycopg.connect(conninfo("postgres"), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        return name

    try:
        yield make
    finally:
        with psycopg.connect(conninfo("postgres"), autocommit=True) as conn:
            for name in made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
