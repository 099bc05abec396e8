"""Paths to the public benchmark instances kept in the repository and to this folder's data."""

from pathlib import Path

import pytest

from delivery.bench.instances import PUBLIC_INSTANCES

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def public():
    """``delivery/bench/public_instances``: ``solomon/``, ``lilim/`` and ``x/`` with their BKS."""
    return PUBLIC_INSTANCES


@pytest.fixture(scope="session")
def data():
    return DATA
