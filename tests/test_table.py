"""The terminal table: shortened cells, no control characters from the article, and
uncertain speakers marked."""

from __future__ import annotations

from onrecord.document import Article, Attribution
from onrecord.interfaces.cli.output import ROW_COLUMNS
from onrecord.interfaces.table import UNCERTAIN_LEGEND, format_article, format_rows
from onrecord.pipeline.ingest import add_batch
from onrecord.settings import LOW_SPEAKER_SCORE
from onrecord.store import Store
from tests.test_store import kyiv_article


def test_control_characters_in_the_article_never_reach_the_terminal() -> None:
    text = "The mayor\x1b[2J said \x07the pier\x1b]0;pwned\x07 was safe."
    article = Article(
        "hostile",
        text,
        [Attribution(source=[(0, 13)], cue=[(14, 18)], content=[(19, len(text) - 1)])],
    )
    table = format_article(article)
    assert "\x1b" not in table and "\x07" not in table
    assert "said" in table


def test_long_contents_are_shortened_and_empty_articles_say_so() -> None:
    text = "Officials said " + "the storm had passed and " * 20 + "all was calm."
    article = Article("long", text, [Attribution([], [(10, 14)], [(15, len(text))])])
    row = format_article(article).splitlines()[-1]
    assert row.startswith("(no source)") and row.endswith("…")
    assert format_article(Article("empty", "Nothing here.")) == (
        "== empty: 0 attributions, 0 boilerplate lines"
    )


def test_an_uncertain_speaker_is_marked_and_the_legend_says_why() -> None:
    article = kyiv_article()
    article.attributions[1].via = ["a very long chain of wire services and papers"]
    lines = format_article(article).splitlines()
    sure, unsure = lines[3], lines[4]
    assert sure.startswith("John Kirby ") and "?" not in sure.split("|")[0]
    # The mark survives the shortening of a long cell.
    assert unsure.split(" | ")[0].rstrip().endswith("…?")
    assert lines[-1] == UNCERTAIN_LEGEND
    assert f"below {LOW_SPEAKER_SCORE}" in UNCERTAIN_LEGEND
    for a in article.attributions:
        a.speaker_score = None  # no resolver ran: nothing marked, no legend
    assert "?" not in format_article(article) and UNCERTAIN_LEGEND not in format_article(article)


def test_query_rows_mark_an_uncertain_speaker(tmp_path) -> None:
    store = Store(str(tmp_path / "table.sqlite"))
    add_batch(store, [kyiv_article()])
    table = format_rows(store.speaker("Kirby"), ROW_COLUMNS).splitlines()
    speakers = [line.split(" | ")[3].rstrip() for line in table[2:4]]
    assert speakers == ["John Kirby", "John Kirby?"]
    assert table[-1] == UNCERTAIN_LEGEND
