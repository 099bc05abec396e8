"""Settings for the test suite, whichever command starts pytest.

pytest-django imports the settings before any ``conftest.py`` runs, so what the suite needs
from the environment is decided here, not in a conftest: development secrets (``MORMAL_DEV``,
never a production key) and Celery on the test Redis database (``TEST_REDIS_URL``, default
database 15). Celery reads ``CELERY_BROKER_URL`` and ``CELERY_RESULT_BACKEND`` from the
environment before its configuration, and worker processes started by tests inherit them.
"""

import os

os.environ.setdefault("MORMAL_DEV", "1")
TEST_REDIS_URL = os.environ.setdefault("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ["CELERY_BROKER_URL"] = TEST_REDIS_URL
os.environ["CELERY_RESULT_BACKEND"] = TEST_REDIS_URL

from marketplace.settings import *  # noqa: E402,F403

# The suite plays the demonstration's card payments (the demo card gateway of the stand-in);
# tests of a shop without a card gateway turn it off.
PAYMENT_DEMO_GATEWAY = True
