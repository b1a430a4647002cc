"""The settings object: defaults, ONRECORD_* overrides, the CLI reading it, and the
limits enforced elsewhere agreeing with it."""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest

from onrecord.interfaces import cli
from onrecord.settings import DEFAULTS, Settings, SettingsError, env_name, load_settings


def test_defaults_are_todays_limits() -> None:
    assert (DEFAULTS.page_size, DEFAULTS.max_page, DEFAULTS.ingest_batch) == (20, 500, 32)
    assert DEFAULTS.max_body_bytes == 5_000_000 and DEFAULTS.max_ingest_articles == 100
    assert DEFAULTS.max_article_chars == 1_000_000
    with pytest.raises(FrozenInstanceError):
        DEFAULTS.max_page = 10  # type: ignore[misc]


def test_every_field_is_documented_and_named_for_its_variable() -> None:
    documented = Settings.documented()
    assert [name for name, _, _ in documented] == [env_name(f.name) for f in fields(Settings)]
    assert all(doc for _, _, doc in documented)
    assert env_name("max_page") == "ONRECORD_MAX_PAGE"


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings.from_env({"ONRECORD_MAX_PAGE": "200", "ONRECORD_INGEST_BATCH": " 8 "})
    assert (settings.max_page, settings.ingest_batch, settings.page_size) == (200, 8, 20)
    assert Settings.from_env({"ONRECORD_MAX_PAGE": ""}) == DEFAULTS
    monkeypatch.setenv("ONRECORD_MAX_BODY_BYTES", "1_000")
    assert load_settings().max_body_bytes == 1000


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ONRECORD_MAX_PAGE": "lots"}, "ONRECORD_MAX_PAGE='lots' is not a whole number"),
        ({"ONRECORD_INGEST_BATCH": "0"}, "ONRECORD_INGEST_BATCH must be a whole number"),
        ({"ONRECORD_MAX_PAGE": "10"}, "ONRECORD_PAGE_SIZE (20) is over ONRECORD_MAX_PAGE (10)"),
    ],
)
def test_bad_settings_are_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ)
    assert message in str(refused.value)


def test_the_cli_takes_its_defaults_from_the_settings(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ONRECORD_INGEST_BATCH", "7")
    monkeypatch.setenv("ONRECORD_PAGE_SIZE", "50")
    parser = cli.build_parser(load_settings())
    assert parser.parse_args(["ingest", "x"]).batch_size == 7
    assert parser.parse_args(["ingest", "x", "--batch-size", "3"]).batch_size == 3
    assert parser.parse_args(["search", "x"]).limit == 50
    with pytest.raises(SystemExit):
        cli.main(["ingest", "--help"])
    assert "(default: 7)" in capsys.readouterr().out


def test_a_bad_variable_is_a_one_line_usage_error(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ONRECORD_MAX_PAGE", "many")
    assert cli.main(["search", "x"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err == "error: ONRECORD_MAX_PAGE='many' is not a whole number\n"


def test_the_store_enforces_the_same_page_and_query_limits(tmp_path: Path) -> None:
    from onrecord.store import QueryError, Store

    store = Store(str(tmp_path / "limits.sqlite"))
    assert store.search("troops", limit=DEFAULTS.max_page) == []
    with pytest.raises(QueryError):
        store.search("troops", limit=DEFAULTS.max_page + 1)
    with pytest.raises(QueryError):
        store.search("x" * (DEFAULTS.max_query_chars + 1))
    assert inspect.signature(store.search).parameters["limit"].default == DEFAULTS.page_size


def test_ingest_and_readers_use_the_same_batch_and_article_size() -> None:
    from onrecord.pipeline.ingest import ingest
    from onrecord.readers import MAX_ARTICLE_CHARS

    assert inspect.signature(ingest).parameters["batch_size"].default == DEFAULTS.ingest_batch
    assert DEFAULTS.max_article_chars == MAX_ARTICLE_CHARS


def test_the_api_enforces_the_same_limits(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from onrecord.interfaces.api import create_app

    app = create_app(str(tmp_path / "api.sqlite"))
    schema = app.openapi()
    search = {p["name"]: p["schema"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert search["limit"]["maximum"] == DEFAULTS.max_page
    assert search["limit"]["default"] == DEFAULTS.page_size
    assert search["offset"]["maximum"] == DEFAULTS.max_offset
    assert search["q"]["maxLength"] == DEFAULTS.max_query_chars
    speaker = {p["name"]: p["schema"] for p in schema["paths"]["/api/speaker"]["get"]["parameters"]}
    assert speaker["limit"]["default"] == DEFAULTS.speaker_page_size
    article = schema["components"]["schemas"]["ArticleIn"]["properties"]
    assert article["text"]["maxLength"] == DEFAULTS.max_article_chars
    assert article["id"]["maxLength"] == DEFAULTS.max_id_chars
    assert article["url"]["anyOf"][0]["maxLength"] == DEFAULTS.max_url_chars
    assert article["outlet"]["anyOf"][0]["maxLength"] == DEFAULTS.max_outlet_chars
    request = schema["components"]["schemas"]["IngestRequest"]["properties"]
    assert request["articles"]["maxItems"] == DEFAULTS.max_ingest_articles
    too_big = str(DEFAULTS.max_body_bytes + 1)
    client = TestClient(app, base_url="http://localhost")
    response = client.post("/api/ingest", headers={"content-length": too_big})
    assert response.status_code == 413
