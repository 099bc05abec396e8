"""Read Saleor's GraphQL schema from a running Saleor and keep it in the repository.

The schema file (:data:`~marketplace.saleor.schema.SCHEMA_FILE`) is the interface our documents
are checked against, not Saleor's prose: descriptions are dropped and types, fields, arguments
and enum values are sorted, so a refresh shows in ``git diff`` only what really changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    build_client_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)

from marketplace.saleor.client import SaleorGraphQLClient
from marketplace.saleor.errors import SaleorError, SaleorValidationError
from marketplace.saleor.schema import NOTE_FILE, SCHEMA_FILE

#: Introspection with what newer servers report: deprecated arguments and input fields (Saleor
#: deprecates many), repeatable directives. Tried first.
FULL_INTROSPECTION_QUERY = get_introspection_query(
    descriptions=False, directive_is_repeatable=True, input_value_deprecation=True
)
#: The introspection every GraphQL server answers; Saleor 3.23 refuses the query above
#: ("Cannot query field isRepeatable", "Unknown argument includeDeprecated").
BASIC_INTROSPECTION_QUERY = get_introspection_query(descriptions=False)


@dataclass(frozen=True)
class SchemaSnapshot:
    """Saleor's schema as we keep it, with where it came from.

    Attributes
    ----------
    sdl : str
        The schema in SDL: no descriptions, sorted, ending with one newline.
    version : str or None
        Saleor's release (``shop.version``, e.g. ``"3.23.28"``) when the token could read it,
        else its API minor version (``shop.schemaVersion``, e.g. ``"3.23"``), else None.
    exact_version : bool
        True when ``version`` is the exact release.
    input_deprecations : bool
        True when the server answered :data:`FULL_INTROSPECTION_QUERY`, so deprecated arguments
        and input fields carry ``@deprecated``; False when only the basic query was answered.
    """

    sdl: str
    version: str | None
    exact_version: bool
    input_deprecations: bool = True


def strip_descriptions(node: Any) -> Any:
    """Return a copy of an introspection result with every ``description`` set to None.

    In an introspection result ``description`` is only ever the key of a description (a field
    of a type named "description" appears as ``{"name": "description"}``), so this is exact.
    """
    if isinstance(node, dict):
        return {k: (None if k == "description" else strip_descriptions(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    return node


def _named_type(ref: dict[str, Any]) -> dict[str, Any]:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return ref


def repair_enum_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """Return a copy where enum default values written as strings are written as enum values.

    Saleor 3.23 reports some defaults of enum arguments and input fields as GraphQL string
    literals (the default of ``format: ThumbnailFormatEnum`` is ``"ORIGINAL"``, quotes included) where
    the spec wants the enum literal (``ORIGINAL``, as in the SDL Saleor publishes); graphql-core
    refuses to build such a schema. Only a string naming a value of that very enum is changed.
    """
    enums = {
        t["name"]: {v["name"] for v in t.get("enumValues") or []}
        for t in data["__schema"]["types"]
        if t.get("kind") == "ENUM"
    }

    def fix(value: dict[str, Any]) -> dict[str, Any]:
        default, named = value.get("defaultValue"), _named_type(value["type"])
        if (isinstance(default, str) and len(default) > 2 and default[0] == default[-1] == '"'
                and default[1:-1] in enums.get(named.get("name") or "", ())):
            return {**value, "defaultValue": default[1:-1]}
        return value

    types = []
    for t in data["__schema"]["types"]:
        t = dict(t)
        if t.get("fields"):
            t["fields"] = [{**f, "args": [fix(a) for a in f.get("args") or []]} for f in t["fields"]]
        if t.get("inputFields"):
            t["inputFields"] = [fix(a) for a in t["inputFields"]]
        types.append(t)
    return {**data, "__schema": {**data["__schema"], "types": types}}


def sdl_from_introspection(data: dict[str, Any]) -> str:
    """Turn the ``data`` of an introspection query into the SDL we keep.

    Parameters
    ----------
    data : dict
        ``{"__schema": ...}`` as a GraphQL server answers the introspection query.

    Returns
    -------
    str
        The schema without descriptions, sorted lexicographically, ending with a newline.

    Raises
    ------
    ValueError
        When ``data`` holds no ``__schema`` or does not describe a valid schema.
    """
    if not isinstance(data, dict) or not isinstance(data.get("__schema"), dict):
        raise ValueError("The answer holds no __schema: is this a GraphQL endpoint?")
    try:
        schema = build_client_schema(repair_enum_defaults(strip_descriptions(data)))  # type: ignore[arg-type]
    except (TypeError, KeyError, GraphQLError) as exc:
        raise ValueError(f"The introspection answer is not a valid schema: {exc}") from exc
    return print_schema(lexicographic_sort_schema(schema)).rstrip("\n") + "\n"


def read_version(client: SaleorGraphQLClient) -> tuple[str | None, bool]:
    """Ask Saleor its release, or at least its API minor version (see :class:`SchemaSnapshot`)."""
    try:
        return client.execute("shop_version")["shop"]["version"], True
    except SaleorError:
        pass  # needs an app or staff token
    try:
        return client.execute("shop_schema_version")["shop"]["schemaVersion"], False
    except (SaleorError, KeyError, TypeError):
        return None, False


def introspect(api_url: str, token: str = "", **client_options: Any) -> SchemaSnapshot:
    """Read the schema of the Saleor at ``api_url``.

    Parameters
    ----------
    api_url : str
        Its GraphQL endpoint, e.g. ``http://127.0.0.1:8000/graphql/``.
    token : str, optional
        An app or staff token, only needed to read the exact release.
    **client_options
        Passed to :class:`~marketplace.saleor.client.SaleorGraphQLClient` (timeouts, retries).

    Raises
    ------
    SaleorNetworkError
        When Saleor cannot be reached.
    SaleorError
        When it refuses the introspection query.
    ValueError
        When the answer is not a schema.
    """
    client = SaleorGraphQLClient(api_url, token, **client_options)
    try:
        full = True
        try:
            data = client.execute_text(FULL_INTROSPECTION_QUERY, name="IntrospectionQuery")
        except SaleorValidationError:
            full = False
            try:
                data = client.execute_text(BASIC_INTROSPECTION_QUERY, name="IntrospectionQuery")
            except SaleorValidationError as exc:
                raise SaleorValidationError(
                    "IntrospectionQuery (is introspection turned off on this Saleor?)", exc.errors
                ) from exc
        sdl = sdl_from_introspection(data)
        version, exact = read_version(client)
    finally:
        client.close()
    return SchemaSnapshot(sdl=sdl, version=version, exact_version=exact, input_deprecations=full)


def schema_note(snapshot: SchemaSnapshot, day: dt.date) -> str:
    """The Markdown note kept beside the schema file: which Saleor, when, and how to refresh."""
    if snapshot.version and snapshot.exact_version:
        which = f"Saleor {snapshot.version}"
    elif snapshot.version:
        which = (
            f"Saleor {snapshot.version} (API minor version: the exact release needs a token, "
            "pass `--token`)"
        )
    else:
        which = "a Saleor whose version could not be read"
    inputs = (
        "\nand on arguments and input fields" if snapshot.input_deprecations else
        ";\nthis Saleor does not report deprecated arguments and input fields (its introspection has no\n"
        "`includeDeprecated` on them), so they appear without it"
    )
    return f"""# Saleor's GraphQL schema

`schema.graphql` is the GraphQL schema of **{which}**, read by introspection of a running
Saleor on **{day.isoformat()}**.

It is the interface, not Saleor's documentation: descriptions are removed and types, fields,
arguments and enum values are sorted, so a refresh shows in `git diff` only what changed.
Applied directives such as Saleor's `@doc(category: ...)` are not part of introspection and are
absent. `@deprecated` is kept on fields and enum values{inputs}.

Who reads it: `marketplace/saleor/schema.py` (nothing else). Every document in
`marketplace/saleor/graphql/` and every webhook subscription of the manifest is validated
against it (`tests/saleor/test_documents.py`), and the stand-in executes our documents on it.

Refresh it from a running Saleor (the token, an app or staff token, only serves to read the
exact release):

```sh
python manage.py saleor_schema --from http://127.0.0.1:8000/graphql/ [--token TOKEN] [--date YYYY-MM-DD]
```

The command rewrites this note and `schema.graphql`; review the diff, then run the tests.
"""


def write_snapshot(
    snapshot: SchemaSnapshot,
    day: dt.date,
    *,
    schema_file: Path = SCHEMA_FILE,
    note_file: Path = NOTE_FILE,
) -> None:
    """Write the schema file and its note (the repository's copies unless told otherwise)."""
    schema_file.parent.mkdir(parents=True, exist_ok=True)
    schema_file.write_text(snapshot.sdl, encoding="utf-8")
    note_file.write_text(schema_note(snapshot, day), encoding="utf-8")
