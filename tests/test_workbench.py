"""The workbench's reads on SQLite and PostgreSQL (claims with facets and pages, the
dashboard, a speaker's profile, copy links both ways, an article's claims), their API
routes, and the CLI: words without quotes, CSV / JSONL / JSON-LD from every list, copies
in both directions, tables that keep ids readable."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from onrecord.document import Article
from onrecord.interfaces import cli
from onrecord.interfaces.api import create_app
from onrecord.interfaces.table import format_rows, id_cell
from onrecord.pipeline.ingest import add_batch
from onrecord.schema import Statement
from onrecord.store import QueryError, Store
from onrecord.workbench import ClaimQuery
from tests.test_claims import original, reprint
from tests.test_copies import ORIGINAL, spin
from tests.test_store import bridge_article, kyiv_article
from tests.test_web_workbench import HARBOUR, harbour_article


def fill(store: Store) -> Store:
    add_batch(store, [kyiv_article(), bridge_article()])
    add_batch(
        store,
        [
            Article("ferry", ORIGINAL, outlet="eastport-herald", published="2024-03-09"),
            Article("ferry-spun", spin(ORIGINAL), outlet="newsfarm", published="2024-03-10"),
        ],
    )
    add_batch(store, [original(), reprint("wire/bridge", "Coast News")])
    add_batch(store, [harbour_article(i, s) for i, s in enumerate(HARBOUR)])
    return store


def test_claims_have_a_total_pages_facets_and_their_original(store: Store) -> None:
    fill(store)
    first = store.search_claims(ClaimQuery(q="Lee", per_page=4))
    assert (first.total, first.pages, len(first.results)) == (6, 2, 4)
    second = store.search_claims(ClaimQuery(q="Lee", per_page=4, page=2))
    assert len(second.results) == 2
    seen = {r.original.claim for r in first.results + second.results}
    assert len(seen) == 6
    dates = [r.latest for r in first.results]
    assert dates == sorted(dates, reverse=True)  # newest first
    facets = first.facets
    outlets = {(f.value, f.count) for f in facets.outlet}
    assert outlets == {("Eastport Herald", 3), ("Coast News", 3)}
    assert [(f.value, f.count) for f in facets.speaker] == [("Ann Lee", 6)]
    assert [(f.value, f.count) for f in facets.anonymous] == [("no", 6)]
    narrowed = store.search_claims(ClaimQuery(q="Lee", outlet="Coast News"))
    assert narrowed.total == 3
    assert store.search_claims(ClaimQuery(q="Lee", anonymous=True)).total == 0
    assert store.search_claims(ClaimQuery(q="Lee", kind="direct")).total == 0
    [cables] = store.search_claims(ClaimQuery(q="support cables")).results
    assert cables.original.article == "herald/bridge"  # the original, not the reprint
    assert cables.outlets == ["Eastport Herald", "Coast News"]
    assert cables.latest == date(2024, 3, 13)
    by_sources = store.search_claims(ClaimQuery(q="bridge", sort="sources"))
    counts = [r.original.independent_sources for r in by_sources.results]
    assert counts == sorted(counts, reverse=True)
    with pytest.raises(QueryError):
        store.search_claims(ClaimQuery(q="Lee", page=10**7))


def test_dashboard_speaker_profile_and_links(store: Store) -> None:
    fill(store)
    board = store.dashboard()
    assert board.counts.articles == 12 and board.counts.copies == 2
    assert board.counts.speakers >= 3 and board.counts.claims >= 9
    assert board.latest == date(2024, 5, 1)
    assert board.speakers_week[0].speaker == "Ann Lee" and board.speakers_week[0].count == 6
    assert board.top_claims[0].independent_sources >= 1
    assert len(board.articles_per_day) == 60 and board.articles_per_day[-1].count == 1
    profile = store.speaker_profile("Ann Lee")
    assert [r.name for r in profile.roles] == ["Harbour master"]
    assert sum(w.count for w in profile.weeks) == 6 and profile.undated == 0
    assert all(w.week.weekday() == 0 for w in profile.weeks)
    assert len(profile.top_claims) == 6
    kirby = store.speaker_profile("Kirby")
    assert kirby.speakers[0].speaker == "John Kirby"
    links = store.copy_links("ferry")
    assert links.copy_of is None and [c.article for c in links.copied_by] == ["ferry-spun"]
    assert store.copy_links("ferry-spun").copy_of.copy_of == "ferry"
    with pytest.raises(QueryError):
        store.copy_links("nothing")
    claims = store.article_claims("kyiv")
    assert [s.ordinal for s in claims.statements] == [0, 1]
    assert all(s.claim for s in claims.statements)
    assert store.article_claims("nothing") is None


def test_api_routes_are_typed_and_bounded(tmp_path) -> None:
    db = str(tmp_path / "api.sqlite")
    fill(Store(db))
    client = TestClient(create_app(db), base_url="http://localhost")
    page = client.get("/api/claims", params={"q": "Lee", "per_page": 4, "page": 2}).json()
    assert page["total"] == 6 and page["page"] == 2 and len(page["results"]) == 2
    assert client.get("/api/claims", params={"q": "Lee", "sort": "loudest"}).status_code == 422
    assert client.get("/api/claims", params={"q": "Lee", "per_page": 501}).status_code == 422
    assert client.get("/api/claims", params={"q": "'\"--"}).status_code == 400
    assert client.get("/api/dashboard").json()["counts"]["articles"] == 12
    assert client.get("/api/speaker-profile", params={"name": "Ann Lee"}).status_code == 200
    links = client.get("/api/copy-links/ferry").json()
    assert links["copied_by"][0]["article"] == "ferry-spun"
    assert client.get("/api/copy-links/nothing").status_code == 404
    assert client.get("/api/article-claims/nothing").status_code == 404
    claim = page["results"][0]["original"]["claim"]
    linked = client.get(f"/api/claims/{claim}/jsonld").json()
    assert linked["@context"] == "https://schema.org" and linked["@type"] == "Claim"
    assert linked["author"] == {"@type": "Person", "name": "Ann Lee"}
    assert linked["appearance"][0]["publisher"]["@type"] == "Organization"
    assert client.get("/api/claims/9999/jsonld").status_code == 404
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/claims", "/api/dashboard", "/api/speaker-profile"):
        assert "$ref" in json.dumps(paths[path]["get"]["responses"]["200"])  # typed models


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "cli.sqlite")
    fill(Store(path))
    return path


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_search_takes_words_without_quotes(db: str, capsys) -> None:
    code, out = run(capsys, "search", "support", "cables", "--db", db, "--format", "jsonl")
    assert code == 0 and json.loads(out.splitlines()[0])["claim"]
    code, out = run(capsys, "search", "Kirby", "OR", "Zelensky", "--db", db, "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("published,")  # OR is a word


def test_search_shows_each_claim_by_its_original_with_a_total_and_pages(db: str, capsys) -> None:
    assert cli.main(["search", "support", "cables", "--db", db, "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    [row] = [json.loads(line) for line in captured.out.splitlines()]
    # The original (herald/bridge), not its later reprint (wire/bridge), with both outlets.
    assert row["article"] == "herald/bridge" and row["published"] == "2024-03-12"
    assert row["outlets"] == ["Eastport Herald", "Coast News"] and row["latest"] == "2024-03-13"
    assert captured.err == "1 claim · page 1 of 1, rows 1-1\n"  # the total, beside the rows
    code = cli.main(["search", "Lee", "--db", db, "--limit", "4", "--format", "jsonl"])
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 4
    assert captured.err == "6 claims · page 1 of 2, rows 1-4 (--page 2: the next)\n"
    code, out = run(
        capsys, "search", "Lee", "--db", db, "--limit", "4", "--page", "2", "--format", "table"
    )
    assert code == 0 and out.rstrip().endswith("6 claims · page 2 of 2, rows 5-6")
    assert "harbour/0" in out and "harbour/5" not in out
    code, out = run(
        capsys, "search", "Lee", "--db", db, "--limit", "4", "--offset", "4", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["article"] for r in rows] == ["harbour/1", "harbour/0"]
    with pytest.raises(SystemExit):
        cli.main(["search", "Lee", "--db", db, "--page", "0"])
    with pytest.raises(SystemExit):
        cli.main(["search", "Lee", "--db", db, "--page", "2", "--offset", "20"])


def test_copies_shows_both_directions(db: str, capsys) -> None:
    code, out = run(capsys, "copies", "ferry", "--db", db, "--format", "table")
    assert code == 0
    assert "ferry copies no earlier article" in out
    assert "copied by 1 later article(s)" in out and "ferry-spun (spun: similarity" in out
    assert "words swapped" in out and "share of the shorter text's words aligned" in out
    code, out = run(capsys, "copies", "ferry", "--db", db, "--format", "jsonl")
    found = json.loads(out)
    assert found["copy_of"] is None and found["copied_by"][0]["article"] == "ferry-spun"
    code, out = run(capsys, "copies", "ferry-spun", "--db", db, "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["direction"] == "copies" and row["copy_of"] == "ferry" and int(row["swaps"]) > 5


def test_claim_and_article_export_csv_and_json_ld(db: str, capsys) -> None:
    code, out = run(capsys, "search", "support", "cables", "--db", db, "--format", "jsonl")
    key = json.loads(out)["claim"]
    code, out = run(capsys, "claim", str(key), "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["article"] for r in rows] == ["herald/bridge", "wire/bridge"]
    assert rows[1]["copy_relation"] == "exact"
    code, out = run(capsys, "claim", str(key), "--db", db, "--format", "jsonld")
    linked = json.loads(out)
    assert linked["@type"] == "Claim" and len(linked["appearance"]) == 2
    assert linked["firstAppearance"]["identifier"] == "herald/bridge"
    code, out = run(capsys, "article", "kyiv", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["source"] for r in rows] == ["Pentagon spokesman John Kirby", "He"]
    code, _ = run(capsys, "article", "nothing", "--db", db, "--format", "csv")
    assert code == 3


def test_tables_keep_ids_readable() -> None:
    long_id = "eastport-herald/2024/03/harbour-bridge-closure-update-afternoon"
    assert id_cell("short/id") == "short/id"
    cut = id_cell(long_id)
    assert len(cut) == 40 and cut.startswith("eastport-herald/202") and cut.endswith("afternoon")
    row = Statement(
        article="eastport-herald/2024/03/bridge",
        version=1,
        url=None,
        outlet="Eastport Herald",
        published=None,
        speaker="Maria Okafor",
        speaker_type="person",
        speaker_role=None,
        speaker_score=None,
        source="she",
        cue="said",
        content="x",
        content_spans=[(0, 1)],
        via=[],
        kind="indirect",
        ordinal=0,
        claim=1,
        occurrences=1,
        independent_sources=1,
    )
    table = format_rows([row], ("published", "article", "outlet"))
    assert "eastport-herald/2024/03/bridge" in table


def test_every_field_of_the_workbench_records_is_described() -> None:
    """Their OpenAPI schema (/docs) says what each field means."""
    from onrecord import workbench
    from onrecord.interfaces import jsonld

    models = [getattr(workbench, name) for name in workbench.__all__ if name != "FACETS"]
    models += [jsonld.Party, jsonld.Appearance, jsonld.ClaimJsonLd]
    for model in models:
        bare = [name for name, f in model.model_fields.items() if not f.description]
        assert not bare, (model.__name__, bare)
