"""The terminal table: shortened cells, and no control characters from the article."""

from __future__ import annotations

from onrecord.document import Article, Attribution
from onrecord.interfaces.table import format_article


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
