"""The typed records of what leaves onrecord (``onrecord.schema``) agree with what the
pipeline's records write and what the store's queries select, key for key, in order."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from onrecord import schema
from onrecord.document import Article, Attribution, Confidence
from onrecord.store.queries import _rows
from tests.test_store import KYIV, kyiv_article, said


def nested_article() -> Article:
    article = kyiv_article()
    quoted = said(KYIV, "He", "the convoy had stopped north of the city", None, parent=0)
    quoted.via = ["Reuters"]
    quoted.confidence = [Confidence("north", (KYIV.index("north"), KYIV.index("north") + 5))]
    article.attributions.append(quoted)
    article.boilerplate = [(0, 9)]
    return article


def test_an_article_record_is_its_documents_json_byte_for_byte() -> None:
    article = nested_article()
    record = schema.Article.from_document(article)
    assert json.dumps(record.model_dump(mode="json")) == json.dumps(article.to_json())
    assert record.attributions[2].parent == 0
    assert record.to_document() == article


def test_every_field_of_the_documents_json_is_declared_and_described() -> None:
    attribution = nested_article().attributions[2]
    expected = {
        schema.Article: list(nested_article().to_json()),
        schema.Attribution: list(attribution.to_json()),
        schema.Confidence: list(attribution.confidence[0].to_json()),
    }
    for model, keys in expected.items():
        assert list(model.model_fields) == keys, model.__name__
    for model in (getattr(schema, name) for name in schema.__all__):
        undescribed = [n for n, f in model.model_fields.items() if not f.description]
        assert not undescribed, (model.__name__, undescribed)


def test_a_statement_has_the_columns_the_store_selects_in_order() -> None:
    columns = [c.name for c in _rows().selected_columns]
    assert list(schema.Statement.model_fields) == columns
    extra = ["independent_source", "copy_relation", "copy_of"]
    assert list(schema.ClaimStatement.model_fields) == [*columns, *extra]


def test_records_are_read_only_and_refuse_undeclared_fields() -> None:
    record = schema.Speaker(speaker="John Kirby", speaker_type="person", variants=[], count=1)
    with pytest.raises(ValidationError):
        record.count = 2
    with pytest.raises(ValidationError):
        schema.Speaker(speaker="x", speaker_type="person", variants=[], count=1, extra=1)
    with pytest.raises(ValidationError):
        schema.Attribution.model_validate({**Attribution([], [], []).to_json(), "kind": "sung"})


def test_an_article_that_copies_none_says_so_in_one_shape() -> None:
    assert schema.NoCopy(article="a").model_dump(mode="json") == {"article": "a", "copy_of": None}
