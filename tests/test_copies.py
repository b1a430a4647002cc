"""Copies: each relation on short articles written for the tests, the alignment shown,
and a same-topic article that is not a copy. Then the same through the store and CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.copies.compare import align, article_words, fingerprint, relate
from onrecord.document import Article
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store

ORIGINAL = (
    "Ferry services across Eastport harbour will double from Monday while the bridge is "
    "closed for repairs, the council announced on Thursday. Council leader Maria Okafor said "
    "the closure was regrettable but unavoidable and that engineers had found serious "
    "corrosion in two of the main support cables during a routine inspection in March. "
    "Shopkeepers on Quay Street warned that trade would suffer in the run-up to Christmas, "
    "and the operator, Harbour Crossings, denied that maintenance had been neglected. "
    "Transport campaigners welcomed the extra boats but said a second crossing was needed "
    "if the town was to keep growing."
)
SWAPS = {
    "double": "twofold",
    "closed": "shut",
    "repairs": "mending",
    "announced": "declared",
    "regrettable": "lamentable",
    "serious": "grave",
    "corrosion": "rusting",
    "routine": "habitual",
    "warned": "cautioned",
    "trade": "commerce",
    "neglected": "disregarded",
    "welcomed": "hailed",
    "growing": "expanding",
}


def spin(text: str) -> str:
    pattern = r"\b(" + "|".join(SWAPS) + r")\b"
    return re.sub(pattern, lambda m: SWAPS[m.group()], text)


def words(text: str):
    return article_words(text)


def test_exact_copy_with_new_boilerplate() -> None:
    reprint = "Home | News | Sport\n\n" + ORIGINAL + "\n\nSign up to our newsletter"
    skip = [(0, 19), (len(reprint) - 25, len(reprint))]
    relation = relate(words(ORIGINAL), article_words(reprint, skip))
    assert relation.relation == "exact" and relation.similarity == 1.0


def test_near_copy_with_light_edits() -> None:
    edited = ORIGINAL.replace("on Thursday", "on Thursday evening").replace(
        "Transport campaigners", "Local transport campaigners"
    )
    relation = relate(words(ORIGINAL), words(edited))
    assert relation.relation == "near" and relation.similarity > 0.95
    assert relation.alignment.inserted == ["evening", "Local"]


def test_spun_copy_shows_the_swapped_words_side_by_side() -> None:
    relation = relate(words(ORIGINAL), words(spin(ORIGINAL)))
    assert relation.relation == "spun"
    assert relation.spin_score > 0.5
    assert ("corrosion", "rusting") in relation.alignment.substitutions
    assert ("neglected", "disregarded") in relation.alignment.substitutions


def test_partial_copy_reuses_a_block_inside_a_longer_article() -> None:
    block = ORIGINAL.split(". ")[1] + ". " + ORIGINAL.split(". ")[2] + "."
    column = (
        "Our columnist asks whether one bridge is ever enough for a town of this size, "
        "looking back at thirty years of arguments about a second crossing. "
        * 3
        + block
        + " The council has promised a report on the options by the end of next year. " * 3
    )
    relation = relate(words(ORIGINAL), words(column))
    assert relation.relation == "partial"
    assert relation.alignment.dropped and relation.alignment.inserted


def test_an_unrelated_article_on_the_same_topic_is_not_a_copy() -> None:
    other = (
        "Westhaven's ferry operator said on Friday that it would add two boats during the "
        "Eastport bridge closure. Its chief executive told reporters that the harbour could "
        "cope with the extra crossings, although fishermen complained about the noise. The "
        "council said repairs to the corroded cables would take six weeks and cost more than "
        "four million pounds."
    )
    assert relate(words(ORIGINAL), words(other)) is None
    assert fingerprint(words(ORIGINAL)).jaccard(fingerprint(words(other))) < 0.2


def article(article_id: str, text: str, outlet: str, published: str) -> Article:
    return Article(
        article_id, text, url=f"https://{outlet}/{article_id}", outlet=outlet, published=published
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "copies.sqlite")
    store = Store(path)
    add_batch(store, [article("original", ORIGINAL, "eastport-herald.example", "2024-03-01")])
    add_batch(
        store,
        [
            article("reprint", ORIGINAL, "westhaven-post.example", "2024-03-02"),
            article("spun", spin(ORIGINAL), "newsfarm.example", "2024-03-03"),
        ],
    )
    return path


def test_ingest_links_copies_to_the_earlier_article(db: str) -> None:
    store = Store(db)  # a fresh store rebuilds its LSH index from the stored fingerprints
    reprint = store.copy_of("reprint")
    assert (reprint.copy_of, reprint.relation) == ("original", "exact")
    spun = store.copy_of("spun")
    assert spun.copy_of == "original" and spun.relation == "spun"
    assert ("serious", "grave") in spun.alignment.substitutions
    assert store.copy_of("original") is None
    later = article("late", spin(ORIGINAL).replace("hailed", "praised"), "x.example", "2024-03-04")
    add_batch(store, [later])
    assert Store(db).copy_of("late").relation in {"spun", "near"}


def test_the_alignment_kept_is_that_of_the_stored_texts(db: str) -> None:
    store = Store(db)  # written when the copy was found, read back as it was written
    origin = store.article("original")
    for copy in ("reprint", "spun"):
        new = store.article(copy)
        expected = align(
            article_words(origin.text, origin.boilerplate), article_words(new.text, new.boilerplate)
        )
        assert store.copy_of(copy).alignment.model_dump(mode="json") == expected.to_json()


def test_copies_command_prints_the_alignment(db: str) -> None:
    run = [sys.executable, "-m", "onrecord", "copies"]
    table = subprocess.run(
        [*run, "spun", "--db", db, "--format", "table"], capture_output=True, text=True, timeout=120
    )
    assert table.returncode == 0, table.stderr
    assert "is a spun copy of original" in table.stdout
    assert re.search(r"corrosion\s+-> rusting", table.stdout)
    found = json.loads(
        subprocess.run(
            [*run, "reprint", "--db", db], capture_output=True, text=True, timeout=120
        ).stdout
    )
    assert found["copy_of"]["relation"] == "exact" and found["copied_by"] == []
    missing = subprocess.run(
        [*run, "nothing", "--db", db], capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 3 and "no article 'nothing'" in missing.stderr


COLUMN = [
    "My grandfather rowed passengers across the estuary before any bridge stood there, "
    "charging a penny a head and twice that on market days when the tide ran hard.",
    "The first timber crossing opened in 1889 and burned down eleven years later after "
    "a lamp was knocked over by a drover hurrying his cattle to the autumn fair.",
    "Its iron successor carried trams until the sixties, when the council tore up the "
    "rails and widened the deck for lorries bound for the new container quay.",
    "Every generation since has argued about a second crossing further upstream, and "
    "every generation has found the money needed somewhere else in the budget.",
    "Engineers warned as long ago as 1994 that salt spray would eat the cables unless "
    "they were wrapped and inspected far more often than the contract required.",
    "Now the warning has come true, and the town is learning again how much of its "
    "life depends on a single span of steel over grey water.",
]


def test_a_reused_paragraph_is_found_through_its_chunk(tmp_path: Path, monkeypatch) -> None:
    # Make the whole-article index unable to offer the origin: only the chunk index can.
    monkeypatch.setattr("onrecord.copies.index.LSH_THRESHOLD", 0.9)
    store = Store(str(tmp_path / "partial.sqlite"))
    add_batch(store, [article("original", ORIGINAL, "eastport-herald.example", "2024-03-01")])
    opinion = "\n\n".join([*COLUMN, ORIGINAL, "Perhaps the upstream plan will be built now."])
    add_batch(store, [article("column", opinion, "westhaven-post.example", "2024-03-05")])
    found = store.copy_of("column")
    assert (found.copy_of, found.relation) == ("original", "partial")
