"""Every GraphQL document we send to Saleor, and every webhook subscription, fits its schema."""

import pytest
from graphql import parse, validate

from marketplace.saleor.documents import (
    GRAPHQL_DIR,
    load_document,
    operation_files,
    parsed_document,
)
from marketplace.saleor.manifest import WEBHOOKS, build_manifest
from marketplace.saleor.schema import saleor_schema

DOCUMENTS = [str(p.relative_to(GRAPHQL_DIR).with_suffix("")) for p in operation_files()]


def test_there_are_documents_for_queries_mutations_and_subscriptions():
    kinds = {parse(load_document(name)).definitions[0].operation.value for name in DOCUMENTS}
    assert kinds == {"query", "mutation", "subscription"}
    assert len(DOCUMENTS) >= 40


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_is_valid_against_saleor_3_23_schema(name):
    # given one of our .graphql files with the fragments it uses
    document = parsed_document(name)
    # when graphql-core validates it against Saleor's SDL
    errors = validate(saleor_schema(), document)
    # then there is no error (an unknown field or argument would be reported here)
    assert errors == [], [e.message for e in errors]


def test_validation_rejects_a_field_saleor_does_not_have():
    # given a document asking for a field that is not in the schema
    document = parse('query { warehouse(id: "x") { id vendorName } }')
    # when validated
    errors = validate(saleor_schema(), document)
    # then the unknown field is named
    assert any("vendorName" in e.message for e in errors)


def test_every_fragment_is_used_by_some_document():
    fragments_text = (GRAPHQL_DIR / "fragments.graphql").read_text()
    defined = {
        line.split()[1] for line in fragments_text.splitlines() if line.startswith("fragment ")
    }
    used = set()
    for name in DOCUMENTS:
        text = load_document(name)
        used |= {f for f in defined if f"fragment {f} on" in text}
    assert used == defined


def test_manifest_webhook_queries_are_our_subscription_documents():
    manifest = build_manifest()
    for webhook in manifest["webhooks"]:
        event = (webhook["asyncEvents"] + webhook["syncEvents"])[0]
        assert webhook["query"] == load_document(WEBHOOKS[event][0])
        assert validate(saleor_schema(), parse(webhook["query"])) == []
