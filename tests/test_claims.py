"""Claims: one speaker saying one thing across articles, and how many independent outlets
carry it once copies are followed back to their origin. Articles are written for the
tests; the attributions are given, so these run without the extraction model."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from onrecord.claims.cluster import CLAIM_THRESHOLD, best_claim, claim_of, index_terms
from onrecord.claims.similarity import content_words, meanings, similarity
from onrecord.document import Article, Attribution
from onrecord.pipeline.ingest import add_batch
from onrecord.schema import Statement
from onrecord.store import QueryError, Store
from tests.test_store import said

REPORT = (
    "Eastport council has closed the harbour bridge after engineers found corroded cables "
    "during a routine inspection in March, and ferries will run every twenty minutes until "
    "the repairs are finished.\n\n"
    "Council leader Maria Okafor said the bridge would stay shut until the end of the summer "
    "because two of the four main support cables had to be replaced.\n\n"
    "Shopkeepers on Quay Street warned that trade would suffer, and the operator, Harbour "
    "Crossings, denied that maintenance had been neglected over the past decade."
)
OWN_REPORT = (
    "Drivers in Eastport face a long detour this year. Council leader Maria Okafor said on "
    "Tuesday the bridge would stay shut until the end of summer because two main support "
    "cables had to be replaced, in a statement to the town's radio station."
)
OTHER_CLAIM = (
    "Council leader Maria Okafor said the new library on Mill Lane would open in October "
    "with longer hours at weekends."
)


def okafor(article_id: str, text: str, outlet: str | None, content: str, **fields) -> Article:
    source = "Council leader Maria Okafor"
    return Article(
        article_id,
        text,
        [said(text, source, content, "Maria Okafor")],
        outlet=outlet,
        **fields,
    )


def original() -> Article:
    return okafor(
        "herald/bridge",
        REPORT,
        "Eastport Herald",
        "the bridge would stay shut until the end of the summer because two of the four main "
        "support cables had to be replaced",
        published="2024-03-12",
    )


def reprint(article_id: str, outlet: str) -> Article:
    """The same report under another site's page furniture (a syndicated copy)."""
    header = "Home | Local | Business\n\n"
    found = original()
    shifted = [
        (
            role,
            [(s + len(header), e + len(header)) for s, e in getattr(found.attributions[0], role)],
        )
        for role in ("source", "cue", "content")
    ]
    attribution = Attribution(**dict(shifted), speaker="Maria Okafor", speaker_type="person")
    return Article(
        article_id,
        header + REPORT,
        [attribution],
        boilerplate=[(0, len(header) - 2)],
        outlet=outlet,
        published="2024-03-13",
    )


def only_claim(store: Store, query: str) -> Statement:
    rows = store.search(query)
    assert len(rows) == 1, rows
    return rows[0]


SAME_CLAIM = [
    (
        "the bridge would stay shut until the end of the summer because cables failed",
        "the bridge will stay shut until the end of summer, as the cables failed",
    ),
    (
        "taxes will go up for the middle class under her plan",
        "taxes would rise for middle-class families under her plan",
    ),
    (  # a spun copy: one word in four swapped for a synonym
        "the closure was regrettable but unavoidable after serious corrosion was found in two "
        "of the main support cables during a routine inspection",
        "the closure was lamentable but unavoidable after grave corrosion was found in two "
        "of the main support cables during a habitual inspection",
    ),
]
DIFFERENT_CLAIMS = [
    ("he would not rule out sending troops", "he would not rule out raising taxes"),
    (
        "the bridge would stay shut until the end of the summer",
        "the new library on Mill Lane would open in October",
    ),
    ("the ferry will run every hour", "the ferry will not run on Sundays"),
    (  # the same words, denied
        "the mayor is qualified to run the harbour authority next year",
        "the mayor is not qualified to run the harbour authority next year",
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME_CLAIM)
def test_the_same_statement_reworded_is_one_claim(first: str, second: str) -> None:
    claim, again = meanings([first, second])
    assert similarity(claim, again) >= CLAIM_THRESHOLD
    assert best_claim(again, [(7, claim)]) == 7


@pytest.mark.parametrize(("first", "second"), DIFFERENT_CLAIMS)
def test_different_statements_of_the_same_shape_are_not(first: str, second: str) -> None:
    claim, other = meanings([first, second])
    assert similarity(claim, other) < CLAIM_THRESHOLD
    assert best_claim(other, [(7, claim)]) is None


def test_a_denying_cue_makes_another_claim() -> None:
    content = "the harbour bridge cables were replaced in 2019 by the council"
    claimed, denied = meanings([content, content], ["said", "did not confirm"])
    assert not claimed.negated and denied.negated
    assert best_claim(denied, [(7, claimed)]) is None
    twice, _ = meanings(["it is not true that the cables were never inspected", ""])
    assert not twice.negated  # "not … never" affirms


def test_an_empty_statement_is_like_nothing_and_breaks_nothing() -> None:
    empty, full = meanings(["", "the harbour bridge will reopen in March"], ["said", "said"])
    assert empty.embedding.shape == full.embedding.shape
    assert similarity(empty, full) == 0.0 and similarity(empty, empty) == 0.0


def test_the_most_similar_claim_wins() -> None:
    statement, near, far = meanings(
        [
            "the bridge would stay shut until the end of the summer",
            "the bridge will stay shut until the end of summer",
            "the bridge would stay shut until the spring",
        ]
    )
    assert best_claim(statement, [(1, far), (2, near)], threshold=0.0) == 2


class Stored:
    """Claims as the store would hand them back: (key, terms, embedding, negated)."""

    def __init__(self, of_speaker=(), in_article=()) -> None:
        self.of_speaker, self.in_article = list(of_speaker), list(in_article)

    def claims_of_speaker(self, speaker_key, terms, sharing, recent):
        return self.of_speaker

    def claims_in_article(self, article_key, source_text):
        return self.in_article


def test_a_statement_finds_its_claim_through_the_store_look_ups_alone() -> None:
    first, again, other = meanings([*SAME_CLAIM[0], DIFFERENT_CLAIMS[1][1]])
    row = (7, first.terms, first.embedding_bytes(), first.negated)
    assert index_terms(first, speaker_key=1) and index_terms(first, speaker_key=None) == []
    assert claim_of(again, 1, "Maria Okafor", None, Stored(of_speaker=[row])) == 7
    assert claim_of(other, 1, "Maria Okafor", None, Stored(of_speaker=[row])) is None
    # No speaker: only the claims of the article it copies are candidates.
    assert claim_of(again, None, "officials", None, Stored(of_speaker=[row])) is None
    assert claim_of(again, None, "officials", 3, Stored(in_article=[row])) == 7


def test_content_words_leave_out_stop_words_and_fold_case_and_possessives() -> None:
    assert content_words("The Council's bridge WILL stay shut") == [
        "council",
        "bridge",
        "stay",
        "shut",
    ]


def test_reprints_on_other_sites_are_one_claim_from_one_independent_source(store: Store) -> None:
    add_batch(
        store, [original(), reprint("wire/bridge", "Coast News"), reprint("daily/bridge", "Daily")]
    )
    claim = only_claim(store, "support cables replaced")
    assert (claim.occurrences, claim.independent_sources) == (3, 1)
    detail = store.claim(claim.claim)
    assert detail.sources == ["Eastport Herald"]
    assert {s.copy_relation for s in detail.statements} == {None, "exact"}
    assert [s.independent_source for s in detail.statements] == ["Eastport Herald"] * 3


def test_an_outlet_reporting_it_on_its_own_is_a_second_independent_source(store: Store) -> None:
    own = okafor(
        "radio/detour",
        OWN_REPORT,
        "Eastport Radio",
        "the bridge would stay shut until the end of summer because two main support cables "
        "had to be replaced",
        published="2024-03-12",
    )
    add_batch(store, [original(), reprint("wire/bridge", "Coast News"), own])
    claim = only_claim(store, "support cables replaced")
    assert (claim.occurrences, claim.independent_sources) == (3, 2)
    assert store.claim(claim.claim).sources == ["Eastport Herald", "Eastport Radio"]


def test_two_articles_from_one_outlet_count_as_one_source(store: Store) -> None:
    own = okafor(
        "herald/detour",
        OWN_REPORT,
        "Eastport  herald",  # spacing and case differ, the outlet does not
        "the bridge would stay shut until the end of summer because two main support cables "
        "had to be replaced",
    )
    add_batch(store, [original(), own])
    claim = only_claim(store, "support cables replaced")
    assert (claim.occurrences, claim.independent_sources) == (2, 1)
    assert [s.lower() for s in store.claim(claim.claim).sources] == ["eastport herald"]


def test_without_an_outlet_the_web_site_or_else_the_article_counts(store: Store) -> None:
    first = original()
    first.outlet, first.url = None, "https://www.eastport-herald.example/bridge"
    own = okafor(
        "radio/detour",
        OWN_REPORT,
        None,
        "the bridge would stay shut until the end of summer because two main support cables "
        "had to be replaced",
    )
    add_batch(store, [first, own])
    claim = only_claim(store, "support cables replaced")
    assert store.claim(claim.claim).sources == [
        "article:radio/detour",
        "eastport-herald.example",
    ]


def test_different_statements_or_different_speakers_are_different_claims(store: Store) -> None:
    library = okafor(
        "herald/library",
        OTHER_CLAIM,
        "Eastport Herald",
        "the new library on Mill Lane would open in October with longer hours at weekends",
    )
    echoed = REPORT.replace("Council leader Maria Okafor", "Harbour master Tom Reyes  ")
    other_speaker = Article(
        "gazette/bridge",
        echoed,
        [
            said(
                echoed,
                "Harbour master Tom Reyes",
                "the bridge would stay shut until the end of the summer",
                "Tom Reyes",
            )
        ],
        outlet="Gazette",
    )
    add_batch(store, [original(), library, other_speaker])
    assert len(store.search("Okafor")) == 2
    assert len(store.search("bridge stay shut")) == 2
    assert len(store.speaker("Okafor")) == 2


def test_a_speakerless_statement_in_a_reprint_joins_the_original_claim(store: Store) -> None:
    text = (
        "It is believed the cables were last inspected in 2015, officials said, and the "
        "council had been warned that corrosion was spreading along the northern span of the "
        "harbour bridge for several years before it was closed this month.\n\n" + REPORT
    )
    content = "the cables were last inspected in 2015"
    first = Article(
        "herald/cables",
        text,
        [said(text, "officials", content, None)],
        outlet="Eastport Herald",
    )
    header = "Coast News | Local\n\n"
    copy_text = header + text
    copy = Article(
        "coast/cables",
        copy_text,
        [said(copy_text, "officials", content, None)],
        boilerplate=[(0, len(header) - 2)],
        outlet="Coast News",
    )
    add_batch(store, [first, copy])
    claim = only_claim(store, "last inspected")
    assert (claim.occurrences, claim.independent_sources) == (2, 1)


def test_a_partial_copy_credits_only_the_reused_block_to_its_origin(store: Store) -> None:
    column = (
        "Our columnist writes: the town has waited too long for a second crossing, and the "
        "closure shows what happens when there is no alternative route for the lorries that "
        "serve the port and the factories on the eastern side of the estuary.\n\n"
        + REPORT
        + "\n\nCampaigner Ruth Adams said a tunnel would cost less than another decade of "
        "repairs to a bridge that was never built for today's traffic."
    )
    copied = said(
        column,
        "Council leader Maria Okafor",
        "the bridge would stay shut until the end of the summer",
        "Maria Okafor",
    )
    own = said(
        column,
        "Campaigner Ruth Adams",
        "a tunnel would cost less than another decade",
        "Ruth Adams",
    )
    add_batch(
        store, [original(), Article("opinion/crossing", column, [copied, own], outlet="Opinion")]
    )
    assert store.copy_of("opinion/crossing").relation == "partial"
    reused = only_claim(store, "support cables replaced")
    assert store.claim(reused.claim).sources == ["Eastport Herald"]
    tunnel = only_claim(store, "tunnel")
    assert store.claim(tunnel.claim).sources == ["Opinion"]


def test_search_shows_each_claim_once_by_its_latest_said(store: Store) -> None:
    add_batch(store, [original(), reprint("wire/bridge", "Coast News")])
    claim = only_claim(store, "bridge")
    assert claim.article == "wire/bridge" and claim.published == date(2024, 3, 13)


def test_an_unknown_claim_is_a_clear_error(store: Store) -> None:
    with pytest.raises(QueryError, match="no claim 42"):
        store.claim(42)


def test_claims_survive_reopening_the_store(tmp_path: Path) -> None:
    path = str(tmp_path / "reopen.sqlite")
    add_batch(Store(path), [original()])
    add_batch(Store(path), [reprint("wire/bridge", "Coast News")])
    claim = only_claim(Store(path), "support cables replaced")
    assert (claim.occurrences, claim.independent_sources) == (2, 1)


def test_claim_command_lists_statements_and_sources(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    add_batch(Store(str(db)), [original(), reprint("wire/bridge", "Coast News")])
    run = [sys.executable, "-m", "onrecord"]
    found = subprocess.run(
        [*run, "search", "cables", "--db", str(db), "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
    )
    row = json.loads(found.stdout)
    assert (row["occurrences"], row["independent_sources"]) == (2, 1)
    table = subprocess.run(
        [*run, "claim", str(row["claim"]), "--db", str(db), "--format", "table"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "2 statements from 1 independent source: Eastport Herald" in table
    assert "exact" in table and "herald/bridge" in table
    missing = subprocess.run(
        [*run, "claim", "999", "--db", str(db)], capture_output=True, text=True
    )
    assert missing.returncode == 3 and "no claim 999" in missing.stderr
    not_a_key = subprocess.run(
        [*run, "claim", "first", "--db", str(db)], capture_output=True, text=True
    )
    assert not_a_key.returncode == 2 and "invalid int value" in not_a_key.stderr
    no_db = subprocess.run(
        [*run, "claim", "1", "--db", str(tmp_path / "none.sqlite")], capture_output=True, text=True
    )
    assert no_db.returncode == 3 and "Traceback" not in no_db.stderr
