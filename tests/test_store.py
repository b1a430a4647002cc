"""The store on SQLite and on a real PostgreSQL server: idempotent writes, versions,
search, speaker queries, filters and refused queries, the unique keys that make several
writers safe, upgrades, and round trips of arbitrary articles (hypothesis). Articles are
written for the tests and given attributions by hand, so these tests do not load the
model."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from onrecord import schema
from onrecord.document import Article, Attribution, Confidence
from onrecord.pipeline.ingest import add_batch
from onrecord.store import QueryError, Store, StoreError
from onrecord.store.schema import SCHEMA_VERSION

SCHEMA_ROW = "SELECT value FROM onrecord_settings WHERE name = 'schema'"

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
        version = connection.execute(text(SCHEMA_ROW)).scalar()
    assert version == SCHEMA_VERSION == "9"
    upgraded.engine.dispose()
    assert Store(store.url).count()["attributions"] == 3  # opened again: nothing to do


def test_the_store_loads_without_spacy() -> None:
    code = "import sys, onrecord.store; assert 'spacy' not in sys.modules, sorted(sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


# -- several writers: unique keys, insert-or-skip, upgrades from schema 7 ----------------


def as_schema_7(store: Store) -> None:
    """Make a store what schema 7 made: no address keys, no statement parents."""
    with store.engine.begin() as connection:
        for statement in (
            "DROP INDEX articles_address_version",
            "DROP INDEX articles_address_text",
            "ALTER TABLE articles DROP COLUMN address_hash",
            "ALTER TABLE attributions DROP COLUMN parent",
            "UPDATE onrecord_settings SET value = '7'",
        ):
            connection.execute(text(statement))
    store.engine.dispose()


def test_the_database_refuses_a_second_row_of_a_stored_text_or_version(store: Store) -> None:
    add_batch(store, [bridge_article()])
    copy_row = (
        "INSERT INTO articles (id, url, outlet, published, version, content_hash, "
        "address_hash, text, boilerplate, ingested_at) SELECT id, url, outlet, published, "
        "{version}, {digest}, address_hash, text, boilerplate, ingested_at FROM articles"
    )
    for version, digest in [("version + 1", "content_hash"), ("version", "'other'")]:
        with pytest.raises(IntegrityError), store.engine.begin() as connection:
            connection.execute(text(copy_row.format(version=version, digest=digest)))


def test_a_text_stored_by_another_writer_first_is_skipped_whole(store: Store) -> None:
    """The loser of a race: its check said "not stored", then the winner committed. The
    insert finds the row that won and nothing of the article is written again."""
    add_batch(store, [kyiv_article()])
    with store.writing() as writer:
        assert writer.add_article(kyiv_article()) is None
    with patch("onrecord.pipeline.ingest.Store.has", return_value=False):
        counts = add_batch(store, [kyiv_article(), bridge_article()])
    assert (counts.added, counts.unchanged, counts.attributions) == (1, 1, 1)
    assert store.count() == {"articles": 2, "attributions": 3, "speakers": 2}


def test_a_schema_7_database_is_keyed_in_place(store: Store) -> None:
    add_batch(store, [kyiv_article(), bridge_article()])
    as_schema_7(store)
    upgraded = Store(store.url)
    with upgraded.engine.connect() as connection:
        assert connection.execute(text(SCHEMA_ROW)).scalar() == SCHEMA_VERSION
    counts = add_batch(upgraded, [kyiv_article(), bridge_article()])  # keyed as new ones are
    assert (counts.added, counts.unchanged) == (0, 2)
    edited = bridge_article()
    edited.text = BRIDGE.replace("reopen", "REOPEN")
    assert add_batch(upgraded, [edited]).versions == 1
    assert upgraded.count()["articles"] == 3


def test_a_schema_7_database_with_duplicates_is_refused_in_one_line(store: Store) -> None:
    """Concurrent ingests before schema 8 could store a text twice: such a database is
    not upgraded (nor changed) and the error names it and says what to do."""
    add_batch(store, [bridge_article()])
    as_schema_7(store)
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO articles (id, url, outlet, published, version, content_hash, "
                "text, boilerplate, ingested_at) SELECT id, url, outlet, published, version, "
                "content_hash, text, boilerplate, ingested_at FROM articles"
            )
        )
    store.engine.dispose()
    with pytest.raises(StoreError) as refused:
        Store(store.url)
    message = str(refused.value)
    assert "\n" not in message and "record" in message
    assert "stored more than once (1 repeated texts, 1 repeated versions)" in message
    assert "ingest into a new database" in message
    with store.engine.connect() as connection:
        assert connection.execute(text(SCHEMA_ROW)).scalar() == "7"


# -- round trips of arbitrary articles ----------------------------------------------------

# Any text but NUL, which PostgreSQL cannot store in a text column (readers refuse it),
# and lone surrogates, which no UTF-8 database can.
TEXT = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
NAMES = st.text(TEXT, min_size=1, max_size=40)
SCORES = st.floats(0, 1, allow_nan=False)
_round_trip_ids = itertools.count()


@st.composite
def spans(draw, length: int, most: int = 2) -> list[tuple[int, int]]:
    """One to ``most`` ordered fragments inside a text of ``length`` characters."""
    cuts = sorted(draw(st.sets(st.integers(0, length), min_size=2, max_size=2 * most)))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]


@st.composite
def attributions(draw, length: int, count: int) -> Attribution:
    speaker = draw(st.none() | NAMES)
    confidence = [
        Confidence(
            term=draw(NAMES),
            span=draw(spans(length, 1))[0],
            low=draw(st.none() | SCORES),
            high=draw(st.none() | SCORES),
            yardstick=draw(st.sampled_from([None, "PHIA", "ICD 203"])),
            hedged=draw(st.booleans()),
            negated=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return Attribution(
        source=draw(spans(length)),
        cue=draw(spans(length)),
        content=draw(spans(length)),
        speaker=speaker,
        kind=draw(st.sampled_from(["direct", "indirect", "mixed"])),
        score=draw(SCORES),
        speaker_type=draw(st.sampled_from(["person", "organisation", "anonymous"])),
        speaker_role=draw(st.none() | NAMES),
        speaker_org=draw(st.none() | NAMES),
        speaker_score=draw(st.none() | SCORES),
        anonymous=speaker is None,
        anonymity=draw(st.none() | NAMES),
        via=draw(st.lists(NAMES, max_size=2)),
        confidence=confidence,
        parent=draw(st.none() | st.integers(0, max(0, count - 1))),
    )


@st.composite
def articles(draw) -> Article:
    """An article of its own address (the store keeps one row per address and text)."""
    text_ = draw(st.text(TEXT, min_size=1, max_size=300))
    count = draw(st.integers(0, 3))
    published = draw(st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)))
    unique = next(_round_trip_ids)
    url = draw(st.none() | st.text(TEXT, max_size=80))
    return Article(
        f"{unique}-{draw(st.text(TEXT, max_size=30))}",
        text_,
        [draw(attributions(len(text_), count)) for _ in range(count)],
        boilerplate=draw(st.lists(spans(len(text_), 1), max_size=2).map(lambda s: sum(s, []))),
        url=None if url is None else f"{unique}-{url}",
        outlet=draw(st.none() | NAMES),
        published=published.isoformat() if published else None,
    )


@given(article=articles())
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_article_reads_back_as_written(store: Store, article: Article) -> None:
    """Unicode anywhere, spans anywhere inside the text, speakers or none: what the store
    gives back is the record that went in, and writing it again changes nothing."""
    counts = add_batch(store, [article])
    assert counts.added == 1 and counts.attributions == len(article.attributions)
    assert without_fidelity(store.article(article.id)) == schema.Article.from_document(article)
    assert add_batch(store, [article]).unchanged == 1


def without_fidelity(article):
    """A stored article as it went in: a quote's fidelity is the store's, not the input's."""
    attributions = [a.model_copy(update={"fidelity": None}) for a in article.attributions]
    return article.model_copy(update={"attributions": attributions})
