"""Load the GraphQL documents kept in ``graphql/*.graphql`` and add the fragments they use.

Each operation file holds one operation. Shared fragments live in ``graphql/fragments.graphql``;
:func:`load_document` appends exactly the fragments an operation spreads (transitively), so each
assembled document is valid on its own (graphql-core rejects unused fragments).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from graphql import DocumentNode, FragmentDefinitionNode, parse, print_ast

GRAPHQL_DIR = Path(__file__).resolve().parent / "graphql"
FRAGMENTS_FILE = GRAPHQL_DIR / "fragments.graphql"
_SPREAD = re.compile(r"\.\.\.\s*([A-Za-z_][A-Za-z0-9_]*)")


def operation_files() -> list[Path]:
    """Every operation file (queries, mutations, subscriptions), sorted, fragments excluded."""
    return sorted(p for p in GRAPHQL_DIR.rglob("*.graphql") if p != FRAGMENTS_FILE)


@functools.cache
def _fragments() -> dict[str, str]:
    doc = parse(FRAGMENTS_FILE.read_text(encoding="utf-8"))
    return {
        d.name.value: print_ast(d) for d in doc.definitions if isinstance(d, FragmentDefinitionNode)
    }


def _spreads(text: str) -> set[str]:
    # "... on Type" inline fragments are not spreads of named fragments
    return {name for name in _SPREAD.findall(text) if name != "on"}


@functools.cache
def load_document(name: str) -> str:
    """Return the full text of operation ``name`` (a path relative to ``graphql/``, no suffix).

    Parameters
    ----------
    name : str
        For example ``"checkout_create"`` or ``"subscriptions/order_created"``.

    Raises
    ------
    FileNotFoundError
        When no such ``.graphql`` file exists.
    KeyError
        When the operation spreads a fragment that ``fragments.graphql`` does not define.
    """
    text = (GRAPHQL_DIR / f"{name}.graphql").read_text(encoding="utf-8")
    fragments = _fragments()
    needed: list[str] = []
    pending = sorted(_spreads(text))
    while pending:
        frag = pending.pop()
        if frag in needed:
            continue
        if frag not in fragments:
            raise KeyError(f"{name}.graphql uses fragment {frag!r}, not in fragments.graphql")
        needed.append(frag)
        pending.extend(sorted(_spreads(fragments[frag]) - set(needed)))
    return "\n\n".join([text.strip(), *(fragments[f] for f in sorted(needed))]) + "\n"


@functools.cache
def parsed_document(name: str) -> DocumentNode:
    """The parsed form of :func:`load_document` (cached)."""
    return parse(load_document(name))
