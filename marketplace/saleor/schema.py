"""Saleor's GraphQL schema (SDL), kept in this repository, loaded once per process.

The file and the note on its origin live in ``marketplace/saleor/sdl/``; refresh them from a
running Saleor with ``python manage.py saleor_schema --from URL`` (:mod:`.introspection`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from graphql import GraphQLSchema, build_schema

SDL_DIR = Path(__file__).resolve().parent / "sdl"
#: Saleor's schema: no descriptions, sorted (written by ``manage.py saleor_schema``).
SCHEMA_FILE = SDL_DIR / "schema.graphql"
#: Which Saleor release the schema came from, when, and how to refresh it.
NOTE_FILE = SDL_DIR / "README.md"


def schema_path() -> Path:
    """Return the path of Saleor's SDL file (always the repository's own copy)."""
    return SCHEMA_FILE


@functools.cache
def saleor_schema() -> GraphQLSchema:
    """Build the graphql-core schema from the SDL (about one second, cached per process)."""
    return build_schema(schema_path().read_text(encoding="utf-8"))
