"""The store on SQLite and on a real PostgreSQL server: idempotent writes, versions,
search, speaker queries, filters and refused queries. Articles are written for the tests
and given attributions by hand, so these tests do not load the model."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from onrecord.document import Article, Attribution
from onrecord.pipeline.ingest import add_batch
from onrecord.store import QueryError, Store, StoreError
from onrecord.store.schema import SCHEMA_VERSION

KYIV = (
    "Pentagon spokesman John Kirby said troops were moving away from Kyiv.\n\n"
    "He said the convoy had stopped north of the city."
)
BRIDGE = "Council leader Maria Okafor said the harbour bridge would reopen in May."


def said(text: str, source: str, content: str, speaker: str | None, **fields) -> Attribution:
    """ "SOURCE said CONTENT" in ``text``; no speaker makes an anonymous source."""
    s = text.index(source)
    cue = text.index("said", s)
    c = text.index(content)
    return Attribution(
        source=[(s, s + len(source))],
        cue=[(cue, cue + 4)],
        content=[(c, c + len(content))],
        speaker=speaker,
        speaker_type="person" if speaker else "anonymous",
        anonymous=speaker is None,
        **fields,
    )


def kyiv_article(**meta) -> Article:
    """Two statements of John Kirby: named (a sure speaker), then "He" (an uncertain one,
    scored below LOW_SPEAKER_SCORE)."""
    return Article(
        "kyiv",
        KYIV,
        [
            said(
                KYIV,
                "Pentagon spokesman John Kirby",
                "troops were moving away from Kyiv",
                "John Kirby",
                speaker_role="Pentagon spokesman",
                speaker_score=0.93,
            ),
            said(
                KYIV,
                "He",
                "the convoy had stopped north of the city",
                "John Kirby",
                speaker_score=0.42,
            ),
        ],
        url="https://news.example/kyiv",
        outlet="news.example",
        published="2022-03-30",
        **meta,
    )


def bridge_article() -> Article:
    return Article(
        "bridge",
        BRIDGE,
        [
            said(
                BRIDGE,
                "Council leader Maria Okafor",
                "the harbour bridge would reopen in May",
                "Maria Okafor",
            )
        ],
        outlet="eastport-herald",
        published="2023-11-02",
    )


def test_writing_the_same_articles_twice_changes_nothing(store: Store) -> None:
    first = add_batch(store, [kyiv_article(), bridge_article()])
    assert (first.added, first.attributions) == (2, 3)
    again = add_batch(store, [kyiv_article(), bridge_article()])
    assert (again.added, again.unchanged) == (0, 2)
    assert store.count() == {"articles": 2, "attributions": 3, "speakers": 2}


def test_a_changed_text_under_the_same_url_is_a_new_version(store: Store) -> None:
    add_batch(store, [kyiv_article()])
    edited = kyiv_article()
    edited.text = KYIV.replace("north", "south")
    counts = add_batch(store, [edited])
    assert (counts.added, counts.versions) == (1, 1)
    assert "south of the city" in store.article("kyiv").text


def test_search_finds_words_in_what_was_said_and_filters(store: Store) -> None:
    add_batch(store, [kyiv_article(), bridge_article()])
    [row] = store.search("troops Kyiv")
    assert row.speaker == "John Kirby" and row.outlet == "news.example"
    assert row.published == date(2022, 3, 30) and row.content.startswith("troops")
    assert len(store.search("convoy OR troops")) == 0  # every word must match; OR is a word
    assert store.search("bridge", since=date(2023, 1, 1))[0].article == "bridge"
    assert store.search("bridge", until=date(2023, 1, 1)) == []
    assert store.search("troops", outlet="eastport-herald") == []


def test_speaker_query_matches_name_variants(store: Store) -> None:
    add_batch(store, [kyiv_article(), bridge_article()])
    rows = store.speaker("Kirby")
    assert [r.source for r in rows] == ["Pentagon spokesman John Kirby", "He"]
    [record] = store.speakers_named("kirby")
    assert record.count == 2
    assert "Pentagon spokesman John Kirby" in record.variants


def test_hostile_queries_are_words_or_refused(store: Store) -> None:
    add_batch(store, [kyiv_article()])
    for query in [
        "'; DROP TABLE articles; --",
        'troops" OR 1=1 --',
        "NEAR(troops kyiv)",
        "troops*",
        "kyiv AND NOT troops",
    ]:
        store.search(query)  # no error, no effect
    assert store.count()["articles"] == 1
    with pytest.raises(QueryError, match="no words"):
        store.search('"" ---')
    with pytest.raises(QueryError, match="longer than"):
        store.search("troops " * 200)
    with pytest.raises(QueryError, match="page size"):
        store.search("troops", limit=10_000)


def test_a_failing_batch_writes_nothing(store: Store) -> None:
    broken = bridge_article()
    broken.published = "not a date"
    with pytest.raises(ValueError):
        add_batch(store, [kyiv_article(), broken])
    assert store.count()["articles"] == 0


def test_an_unusable_database_address_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a database address|only SQLite"):
        Store("mysql://localhost/news")
    (tmp_path / "garbage.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="garbage.sqlite"):
        Store(str(tmp_path / "garbage.sqlite"))


def test_duplicate_ids_with_different_texts_are_versions_not_overwrites(store: Store) -> None:
    first = bridge_article()
    second = bridge_article()
    second.text = BRIDGE.replace("reopen", "REOPEN")  # same length: offsets stay valid
    counts = add_batch(store, [first, second, bridge_article()])
    assert (counts.added, counts.versions, counts.unchanged) == (2, 1, 1)
    assert "REOPEN" in store.article("bridge").text
    assert store.count()["articles"] == 2


def test_common_and_rare_words_give_the_same_newest_first_order(store: Store, monkeypatch) -> None:
    text_ = "Council leader Maria Okafor said the old bridge needed new cables before winter."
    older = Article(
        "bridge-2019",
        text_,
        [said(text_, "Council leader Maria Okafor", "the old bridge needed", "Maria Okafor")],
        published="2019-01-05",
    )
    add_batch(store, [kyiv_article(), bridge_article(), older])
    rare = store.search("bridge")
    monkeypatch.setattr("onrecord.store.dialect.COMMON_MATCHES", 1)  # take the index walk
    common = store.search("bridge")
    assert [r.article for r in rare] == [r.article for r in common] == ["bridge", "bridge-2019"]


def test_a_database_from_another_schema_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    add_batch(Store(str(path)), [bridge_article()])
    with create_engine(f"sqlite:///{path}").begin() as connection:
        connection.execute(text("UPDATE onrecord_settings SET value = '1'"))
    with pytest.raises(StoreError, match="another version of onrecord"):
        Store(str(path))


def test_speaker_scores_are_stored_and_read_back(store: Store) -> None:
    add_batch(store, [kyiv_article(), bridge_article()])
    assert [a.speaker_score for a in store.article("kyiv").attributions] == [0.93, 0.42]
    assert store.article("bridge").attributions[0].speaker_score is None  # no resolver ran
    assert [r.speaker_score for r in store.speaker("Kirby")] == [0.93, 0.42]
    [row] = store.search("convoy")
    assert row.speaker_score == 0.42
    claim = store.claim(row.claim)
    assert [s.speaker_score for s in claim.statements] == [0.42]


def test_a_schema_6_database_is_upgraded_in_place(store: Store) -> None:
    """Schema 6 is schema 7 without attributions.speaker_score: made so here, it opens
    upgraded, its statements with no score, and takes new ones with theirs."""
    add_batch(store, [bridge_article()])
    with store.engine.begin() as connection:
        connection.execute(text("ALTER TABLE attributions DROP COLUMN speaker_score"))
        connection.execute(text("UPDATE onrecord_settings SET value = '6'"))
    store.engine.dispose()
    upgraded = Store(store.url)
    assert upgraded.article("bridge").attributions[0].speaker_score is None
    add_batch(upgraded, [kyiv_article()])
    assert [r.speaker_score for r in upgraded.speaker("Kirby")] == [0.93, 0.42]
    with upgraded.engine.connect() as connection:
        version = connection.execute(text("SELECT value FROM onrecord_settings")).scalar()
    assert version == SCHEMA_VERSION == "7"
    upgraded.engine.dispose()
    assert Store(store.url).count()["attributions"] == 3  # opened again: nothing to do


def test_the_store_loads_without_spacy() -> None:
    code = "import sys, onrecord.store; assert 'spacy' not in sys.modules, sorted(sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
