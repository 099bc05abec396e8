"""``manage.py saleor_schema`` against a GraphQL server on a loopback socket.

The server answers introspection the way a verbose server may: with every description filled in
and types in reverse order, whatever the query asked. What the command writes must still be the
repository's normal form (no descriptions, sorted), and our documents must validate against it.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from graphql import (
    GraphQLError,
    GraphQLObjectType,
    Visitor,
    build_schema,
    get_introspection_query,
    graphql_sync,
    parse,
    validate,
    visit,
)

from marketplace.saleor.documents import GRAPHQL_DIR, operation_files, parsed_document
from marketplace.saleor.introspection import repair_enum_defaults
from marketplace.saleor.schema import SCHEMA_FILE

TOKEN = "app-token-for-tests"


def _wordy_schema():
    """The repository's schema with Saleor-like prose on every type, field and argument."""
    schema = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    for name, type_ in schema.type_map.items():
        if name.startswith("__"):
            continue
        type_.description = f"Prose about {name}."
        for field_name, field in getattr(type_, "fields", {}).items():
            field.description = f"Prose about {name}.{field_name}."
            for arg in getattr(field, "args", {}).values():
                arg.description = "Prose about an argument."
    return schema


def _named(ref):
    while ref.get("ofType"):
        ref = ref["ofType"]
    return ref["name"]


def _as_saleor_3_23_says_it(introspection):
    """The answer as Saleor 3.23.28 gives it: enum defaults as string literals ('"ORIGINAL"')."""
    answer = copy.deepcopy(introspection)
    enums = {t["name"] for t in answer["__schema"]["types"] if t["kind"] == "ENUM"}
    quoted = 0
    for type_ in answer["__schema"]["types"]:
        values = [a for f in type_.get("fields") or [] for a in f["args"]] + list(type_.get("inputFields") or [])
        for value in values:
            if value["defaultValue"] and _named(value["type"]) in enums:
                value["defaultValue"] = f'"{value["defaultValue"]}"'
                quoted += 1
    assert quoted >= 10  # ThumbnailFormatEnum's ORIGINAL on every image field, PaymentInput's NONE
    return answer


@pytest.fixture(scope="module")
def fake_saleor() -> Iterator[dict]:
    """A GraphQL endpoint on 127.0.0.1 that records what it was asked."""
    schema = _wordy_schema()
    shop = schema.type_map["Shop"]
    assert isinstance(shop, GraphQLObjectType)

    def version(_shop, info):
        if info.context["authorization"] != f"Bearer {TOKEN}":
            raise GraphQLError(
                "You need one of the following permissions: AUTHENTICATED_STAFF_USER, AUTHENTICATED_APP"
            )
        return "3.23.28"

    shop.fields["version"].resolve = version
    shop.fields["schemaVersion"].resolve = lambda _shop, _info: "3.23"
    schema.query_type.fields["shop"].resolve = lambda _root, _info: {}
    verbose = graphql_sync(
        schema,
        get_introspection_query(
            descriptions=True, directive_is_repeatable=True, input_value_deprecation=True
        ),
    ).data
    verbose["__schema"]["types"].reverse()
    state = {"queries": [], "answers": {"introspection": verbose, "saleor_3_23": _as_saleor_3_23_says_it(verbose)}}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state["queries"].append(body["query"])
            status = 200
            if state.get("not_graphql"):
                payload = {"data": {"hello": "world"}}
            elif state.get("saleor_3_23") and "isRepeatable" in body["query"]:
                status, payload = 400, {"errors": [  # what Saleor 3.23.28 answers, in part
                    {"message": 'Cannot query field "isRepeatable" on type "__Directive".'},
                    {"message": 'Unknown argument "includeDeprecated" on field "inputFields" of type "__Type".'}]}
            elif "__schema" in body["query"]:
                payload = {"data": state["answers"]["saleor_3_23" if state.get("saleor_3_23") else "introspection"]}
            else:
                context = {"authorization": self.headers.get("Authorization", "")}
                result = graphql_sync(schema, body["query"], context_value=context)
                payload = {"data": result.data}
                if result.errors:
                    payload["errors"] = [{"message": e.message} for e in result.errors]
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/graphql/"
    yield state
    server.shutdown()
    server.server_close()
    state.pop("not_graphql", None)


def _refresh(fake_saleor, tmp_path, *extra):
    schema_file, note_file = tmp_path / "schema.graphql", tmp_path / "README.md"
    call_command(
        "saleor_schema", "--from", fake_saleor["url"], "--date", "2026-03-31",
        "--schema-file", str(schema_file), "--note-file", str(note_file), *extra,
    )
    return schema_file, note_file


def _descriptions(sdl: str) -> list[str]:
    """Every description anywhere in the SDL (types, fields, arguments, enum values, directives)."""

    class Collect(Visitor):
        def __init__(self):
            super().__init__()
            self.found: list[str] = []

        def enter(self, node, *_args):
            if getattr(node, "description", None) is not None:
                self.found.append(node.description.value)

    collect = Collect()
    visit(parse(sdl), collect)
    return collect.found


def test_refresh_writes_a_sorted_schema_without_prose_that_validates_our_documents(fake_saleor, tmp_path):
    # given a Saleor that answers introspection with prose everywhere and types in reverse order
    served = json.dumps(fake_saleor["answers"]["introspection"])
    assert served.count('"description": "Prose about') > 5_000
    # when the command reads it
    schema_file, note_file = _refresh(fake_saleor, tmp_path, "--token", TOKEN)
    # then the SDL has no description left
    sdl = schema_file.read_text(encoding="utf-8")
    assert "Prose about" not in sdl and _descriptions(sdl) == []
    # and every document we send validates against it
    schema = build_schema(sdl)
    for path in operation_files():
        name = str(path.relative_to(GRAPHQL_DIR).with_suffix(""))
        assert validate(schema, parsed_document(name)) == [], name
    # and it is exactly the repository's file: the order does not depend on the server's
    assert sdl == SCHEMA_FILE.read_text(encoding="utf-8")
    # and the note names the release read with the token, and the day given
    note = note_file.read_text(encoding="utf-8")
    assert "Saleor 3.23.28**" in note and "2026-03-31" in note


def test_the_introspection_query_asks_for_deprecated_inputs_but_not_for_prose(fake_saleor, tmp_path):
    fake_saleor["queries"].clear()
    _, note_file = _refresh(fake_saleor, tmp_path)
    introspections = [q for q in fake_saleor["queries"] if "__schema" in q]
    assert len(introspections) == 1
    assert "inputFields(includeDeprecated: true)" in introspections[0] and "isRepeatable" in introspections[0]
    assert "description" not in introspections[0]
    assert "on arguments and input fields" in note_file.read_text(encoding="utf-8")


def test_a_saleor_3_23_answer_is_read_as_the_repositorys_schema(fake_saleor, tmp_path):
    # given a server that, like Saleor 3.23.28, refuses the newer introspection fields and writes
    # enum defaults as strings ('"ORIGINAL"', which graphql-core refuses to build)
    fake_saleor["queries"].clear()
    fake_saleor["saleor_3_23"] = True
    try:
        # when the command reads it
        schema_file, note_file = _refresh(fake_saleor, tmp_path, "--token", TOKEN)
    finally:
        fake_saleor.pop("saleor_3_23")
    # then it fell back to the basic query and wrote the same schema, enum defaults as enums
    assert [("isRepeatable" in q) for q in fake_saleor["queries"] if "__schema" in q] == [True, False]
    sdl = schema_file.read_text(encoding="utf-8")
    assert sdl == SCHEMA_FILE.read_text(encoding="utf-8")
    assert "backgroundImage(format: ThumbnailFormatEnum = ORIGINAL, size: Int): Image" in sdl
    # and the note says what this Saleor does not report
    assert "does not report deprecated arguments and input fields" in note_file.read_text(encoding="utf-8")


def test_only_a_string_naming_a_value_of_that_enum_is_unquoted():
    data = {"__schema": {"types": [
        {"kind": "ENUM", "name": "Size", "enumValues": [{"name": "BIG"}]},
        {"kind": "INPUT_OBJECT", "name": "In", "inputFields": [
            {"name": "size", "type": {"kind": "ENUM", "name": "Size"}, "defaultValue": '"BIG"'},
            {"name": "other", "type": {"kind": "ENUM", "name": "Size"}, "defaultValue": '"HUGE"'},
            {"name": "label", "type": {"kind": "SCALAR", "name": "String"}, "defaultValue": '"BIG"'}]},
    ]}}
    fields = repair_enum_defaults(data)["__schema"]["types"][1]["inputFields"]
    assert [f["defaultValue"] for f in fields] == ["BIG", '"HUGE"', '"BIG"']
    assert data["__schema"]["types"][1]["inputFields"][0]["defaultValue"] == '"BIG"'  # input untouched


def test_without_a_token_the_note_gives_saleors_minor_version_and_says_why(fake_saleor, tmp_path):
    _, note_file = _refresh(fake_saleor, tmp_path)
    note = note_file.read_text(encoding="utf-8")
    assert "Saleor 3.23 (API minor version: the exact release needs a token" in note
    assert "3.23.28" not in note


def test_an_answer_that_is_not_a_schema_is_refused_and_nothing_is_overwritten(fake_saleor, tmp_path):
    # given files from an earlier refresh
    schema_file, note_file = tmp_path / "schema.graphql", tmp_path / "README.md"
    schema_file.write_text("type Query { kept: Int }\n")
    note_file.write_text("earlier note\n")
    fake_saleor["not_graphql"] = True
    try:
        # when the endpoint answers something that is not an introspection result
        with pytest.raises(CommandError, match="holds no __schema"):
            _refresh(fake_saleor, tmp_path)
    finally:
        fake_saleor.pop("not_graphql")
    # then the earlier files are untouched
    assert schema_file.read_text() == "type Query { kept: Int }\n"
    assert note_file.read_text() == "earlier note\n"


def test_an_unreachable_saleor_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="unreachable"):
        call_command(
            "saleor_schema", "--from", "http://127.0.0.1:9/graphql/",
            "--schema-file", str(tmp_path / "s.graphql"), "--note-file", str(tmp_path / "n.md"),
        )
    assert not (tmp_path / "s.graphql").exists()


def test_a_malformed_date_is_refused_before_any_request(tmp_path):
    with pytest.raises(CommandError, match="not a date"):
        call_command("saleor_schema", "--from", "http://127.0.0.1:9/graphql/", "--date", "31/03/2026")
