"""Locate and load Saleor's GraphQL schema (SDL) once per process.

The schema file is not part of this repository: it sits in ``shared/saleor/schema.graphql``
beside the clone (CI and this machine), or wherever ``SALEOR_SCHEMA_PATH`` points.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from graphql import GraphQLSchema, build_schema

REPO_ROOT = Path(__file__).resolve().parents[2]


def schema_path() -> Path:
    """Return the path of Saleor's SDL file.

    Returns
    -------
    Path
        ``$SALEOR_SCHEMA_PATH`` when set, else ``<repo>/../shared/saleor/schema.graphql``.

    Raises
    ------
    FileNotFoundError
        When neither location holds the file.
    """
    candidates = []
    if os.environ.get("SALEOR_SCHEMA_PATH"):
        candidates.append(Path(os.environ["SALEOR_SCHEMA_PATH"]))
    candidates.append(REPO_ROOT.parent / "shared" / "saleor" / "schema.graphql")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "Saleor's schema.graphql was not found (looked in: "
        + ", ".join(str(c) for c in candidates)
        + "). Set SALEOR_SCHEMA_PATH to the Saleor 3.23 SDL file."
    )


@functools.cache
def saleor_schema() -> GraphQLSchema:
    """Build the graphql-core schema from the SDL (about one second, cached per process)."""
    return build_schema(schema_path().read_text(encoding="utf-8"))
