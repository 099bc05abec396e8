"""Paths to the shared public benchmark instances and to this folder's small data files."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared" / "bench" / "vrp" / "instances"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared():
    if not SHARED.is_dir():
        pytest.fail(f"shared benchmark instances missing at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def data():
    return DATA
