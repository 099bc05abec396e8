"""A new App token reaches processes that are already running, without a restart."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from marketplace.saleor.installation import _TokenCache, register

ROOT = Path(__file__).resolve().parents[2]

# A long-running process (like a Celery worker): each line on stdin makes one call to Saleor
# through the process-wide gateway, the way any task does.
WORKER = """
import sys, django
django.setup()
from marketplace.saleor.port import get_saleor
for line in sys.stdin:
    get_saleor().transport.execute("app_current")
    print("called", flush=True)
"""


def test_a_running_process_uses_the_new_token_after_a_reinstall(transactional_db, jwks_server, settings):
    # given our App installed with token A, and a worker process started afterwards
    jwks_server.issue_token("token-A", app_id="QXBwOjc=")
    jwks_server.issue_token("token-B", app_id="QXBwOjc=")
    register(jwks_server.api_url, jwks_server.domain, "token-A")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="marketplace.settings", MORMAL_DEV="1",
               SALEOR_API_URL=jwks_server.api_url, SALEOR_APP_TOKEN="", SALEOR_TOKEN_CACHE_S="0",
               DATABASE_URL=_test_database_url())
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert _call(worker) == "called"
        assert jwks_server.bearers[-1] == "token-A"
        # when Saleor registers a new token for the same App (in the web process)
        register(jwks_server.api_url, jwks_server.domain, "token-B")
        # then the running worker's next call carries it
        assert _call(worker) == "called"
        assert jwks_server.bearers[-1] == "token-B"
    finally:
        worker.stdin.close()
        worker.wait(timeout=30)


def test_the_token_is_held_for_the_cache_period_then_checked_against_the_version(db, jwks_server, settings):
    # given a process clock we move by hand and a 10 s cache
    now = [1000.0]
    cache = _TokenCache(clock=lambda: now[0])
    settings.SALEOR_TOKEN_CACHE_S = 10
    jwks_server.issue_token("token-A", app_id="QXBwOjc=")
    jwks_server.issue_token("token-B", app_id="QXBwOjc=")
    register(jwks_server.api_url, jwks_server.domain, "token-A")
    assert cache.get(jwks_server.api_url).token == "token-A"
    # when another process stores a new token
    register(jwks_server.api_url, jwks_server.domain, "token-B")
    # then within the cache period the held token is still used, and no query is made
    now[0] += 9
    with _count_queries() as queries:
        assert cache.get(jwks_server.api_url).token == "token-A"
    assert queries == []
    # and once it has passed, the version is read and the new token taken
    now[0] += 2
    held = cache.get(jwks_server.api_url)
    assert (held.token, held.version) == ("token-B", 2)


def _call(worker: subprocess.Popen) -> str:
    worker.stdin.write("go\n")
    worker.stdin.flush()
    return worker.stdout.readline().strip()


def _test_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class _count_queries:  # noqa: N801 - used as a context manager
    def __enter__(self):
        from django.test.utils import CaptureQueriesContext

        self._capture = CaptureQueriesContext(connection)
        self._capture.__enter__()
        self.queries: list = []
        return self.queries

    def __exit__(self, *exc):
        self._capture.__exit__(*exc)
        self.queries.extend(self._capture.captured_queries)
