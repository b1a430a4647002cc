"""Quote fidelity through the store: each relation written at ingest and read back (the
attribution's ``fidelity``, ``Store.quotes``, ``Store.article_quotes``), an earlier
rendering updated when a new one arrives, first on record by date, two writers on one
store, a failed batch, the schema 8 -> 9 upgrade, the seed article through the normal
ingest path, and the CLI and API that show them. The reports are written for these tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from onrecord.document import Article, Attribution
from onrecord.interfaces.cli import main
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store
from onrecord.store.schema import SCHEMA_VERSION, UNRELATED_UP_TO
from tests.test_fidelity import SEED, UNSPIN

MAYOR = (
    "We will rebuild the harbour wall before the winter storms arrive, and every family "
    "that lost a boat will be compensated in full."
)
RENDERINGS = {  # article id -> (its rendering of the mayor's words, the relation expected)
    "gazette/harbour-wall": (MAYOR, "verbatim"),
    "courier/storm-pledge": (MAYOR, "verbatim"),
    "herald/wall": ("rebuild the harbour wall before the winter storms arrive", "trimmed"),
    "post/mayor": ("We will rebuild the harbour wall and be compensated in full.", "spliced"),
    "times/autumn": (
        "We will rebuild the harbour wall before the autumn storms arrive, and every family "
        "that lost a boat will be paid in full.",
        "altered",
    ),
    "bulletin/boats": (
        "families who lost boats get full compensation once the harbour wall is rebuilt",
        "paraphrased",
    ),
}
LEADS = [
    "The mayor of Eastport, Maria Okafor, told a crowded town hall on Tuesday evening:",
    "Speaking beside the broken sea defences, Maria Okafor promised residents:",
    "Eastport's mayor Maria Okafor, visiting the fishing cooperative, said",
]


def report(
    article_id: str,
    quote: str,
    day: int,
    lead: str = LEADS[0],
    speaker: str = "Maria Okafor",
    outlet: str | None = None,
    more: str = "",
) -> Article:
    """An article quoting ``quote`` (a direct attribution), then an indirect one."""
    body = f"{lead} “{quote}” {more}Harbour users said the repairs were long overdue."
    name = body.index(speaker.split()[-1])
    cue = re.search(r"\b(told|promised|said)\b", body)
    opening = body.index("“")
    users = body.index("Harbour users")
    return Article(
        article_id,
        body,
        [
            Attribution(
                source=[(name, name + len(speaker.split()[-1]))],
                cue=[cue.span()],
                content=[(opening, body.index("”") + 1)],
                speaker=speaker,
                kind="direct",
                speaker_type="person",
            ),
            Attribution(
                source=[(users, users + len("Harbour users"))],
                cue=[(body.index(" said the") + 1, body.index(" said the") + 5)],
                content=[(body.index("the repairs"), len(body) - 1)],
                speaker=None,
                kind="indirect",
            ),
        ],
        outlet=outlet or article_id.split("/")[0],
        published=f"2024-03-{day:02d}",
    )


def reports() -> list[Article]:
    return [
        report(article_id, quote, day, lead=LEADS[day % len(LEADS)])
        for day, (article_id, (quote, _)) in enumerate(RENDERINGS.items(), start=1)
    ]


def relations(store: Store) -> dict[str, tuple[str | None, list[list[str]]]]:
    page = store.quotes(limit=100)
    return {q.article: (q.relation, [list(c) for c in q.changes]) for q in page.quotes}


# -- each relation, written at ingest and read back -------------------------------------------


def test_each_relation_through_the_store(store: Store) -> None:
    for article in reports():  # one batch each: every new one relates the earlier ones
        add_batch(store, [article])
    found = relations(store)
    assert {a: r for a, (r, _) in found.items()} == {a: r for a, (_, r) in RENDERINGS.items()}
    assert found["times/autumn"][1] == [["winter", "autumn"], ["compensated", "paid"]]
    page = store.quotes(relations=("altered", "spliced"))
    assert page.total == 2 and {q.article for q in page.quotes} == {"times/autumn", "post/mayor"}
    altered = next(q for q in page.quotes if q.article == "times/autumn")
    assert altered.reference_words == [MAYOR] and altered.quote == "times/autumn#0"
    assert altered.first_on_record.article == "gazette/harbour-wall"
    assert not altered.first_on_record.matches and altered.compared == 5
    # The attribution read back carries it; the indirect one quotes nothing.
    stored = store.article("times/autumn")
    fidelity = stored.attributions[0].fidelity
    assert fidelity.relation == "altered" and fidelity.changes == [
        ("winter", "autumn"),
        ("compensated", "paid"),
    ]
    assert fidelity.first_on_record.key == "gazette/harbour-wall#0"
    assert fidelity.first_on_record.published == "2024-03-01"
    assert stored.attributions[1].fidelity is None
    # Filters: dates, outlet, speaker.
    assert store.quotes(since=None, until=None, outlet="herald").total == 1
    assert store.quotes(relations=("altered",), since=_day(6)).total == 0
    assert store.quotes(speaker="okafor").total == 6 and store.quotes(speaker="Reilly").total == 0


def _day(day: int):
    from datetime import date

    return date(2024, 3, day)


MASTER = (
    "The north breakwater cannot take another storm like the one in January without "
    "emergency repairs."
)


def quoting(article_id: str, day: int, parts: list[tuple[str, str, str]]) -> Article:
    """An article of direct quotations: (words naming the speaker, speaker, quote) each."""
    body, found = "", []
    for lead, speaker, quote in parts:
        start = len(body)
        body += f"{lead} “{quote}” "
        surname = speaker.split()[-1]
        name = body.index(surname, start)
        cue = re.compile(r"\b(told|said|added|warned)\b").search(body, start)
        opening = body.index("“", start)
        found.append(
            Attribution(
                source=[(name, name + len(surname))],
                cue=[cue.span()],
                content=[(opening, body.index("”", opening) + 1)],
                speaker=speaker,
                kind="direct",
                speaker_type="person",
            )
        )
    outlet = article_id.split("/")[0]
    return Article(article_id, body.strip(), found, outlet=outlet, published=f"2024-04-{day:02d}")


def test_independent_reports_of_one_press_conference(tmp_path: Path) -> None:
    """Two outlets write their own reports of one press conference, each quoting the mayor
    and the harbour master: one trims the mayor and swaps a word of the master's."""
    store = Store(str(tmp_path / "news.sqlite"))
    gazette = quoting(
        "gazette/press-conference",
        2,
        [
            (
                "At Tuesday's press conference in the town hall, Mayor Maria Okafor said",
                "Maria Okafor",
                MAYOR,
            ),
            ("The harbour master, Tom Reilly, standing beside her, warned", "Tom Reilly", MASTER),
        ],
    )
    courier = quoting(
        "courier/breakwater",
        3,
        [
            (
                "Fishermen crowded the council chamber as Reilly told them",
                "Tom Reilly",
                MASTER.replace("take", "survive"),
            ),
            ("Okafor said her administration would", "Maria Okafor", RENDERINGS["herald/wall"][0]),
        ],
    )
    add_batch(store, [gazette])
    add_batch(store, [courier])
    found = {q.quote: q for q in store.quotes().quotes}
    assert {k: q.relation for k, q in found.items()} == {
        "gazette/press-conference#0": "verbatim",
        "gazette/press-conference#1": "verbatim",
        "courier/breakwater#0": "altered",
        "courier/breakwater#1": "trimmed",
    }
    assert found["courier/breakwater#0"].changes == [("take", "survive")]
    assert found["courier/breakwater#0"].reference == "gazette/press-conference#1"
    assert all(q.compared == 1 and q.copy_of is None for q in found.values())
    assert store.copy_of("courier/breakwater") is None  # independent, not a copy


def test_an_earlier_rendering_is_updated_when_a_new_one_arrives(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "news.sqlite"))
    late = report("late/wall", "We will rebuild the harbour wall before the autumn storms.", 9)
    add_batch(store, [late])
    (only,) = store.quotes().quotes
    assert only.relation is None and only.compared == 0
    assert only.first_on_record.article == "late/wall" and only.first_on_record.matches
    # An earlier report of the whole quotation is ingested afterwards.
    add_batch(store, [report("early/wall", MAYOR, 2, lead=LEADS[1])])
    found = {q.article: q for q in store.quotes().quotes}
    assert found["late/wall"].relation == "altered"
    assert found["late/wall"].changes == [("winter", "autumn")]
    assert found["late/wall"].first_on_record.article == "early/wall"
    assert found["early/wall"].relation == "verbatim" and found["late/wall"].compared == 1
    assert store.article("late/wall").attributions[0].fidelity.reference == "early/wall#0"


def test_first_on_record_is_the_earliest_dated_not_the_first_ingested(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "news.sqlite"))
    add_batch(store, [report("b/later", MAYOR, 20), report("c/undated", MAYOR, 25)])
    add_batch(store, [report("a/earliest", MAYOR, 3, lead=LEADS[2])])
    for q in store.quotes().quotes:
        assert q.first_on_record.article == "a/earliest" and q.first_on_record.matches
        assert q.compared == 2


# -- two writers, a failed batch, an upgraded store --------------------------------------------


def test_two_writers_catch_up_with_each_other(tmp_path: Path) -> None:
    path = str(tmp_path / "news.sqlite")
    first, second = Store(path), Store(path)
    add_batch(first, [report("one/wall", MAYOR, 1)])
    add_batch(second, [report("two/wall", RENDERINGS["herald/wall"][0], 2, lead=LEADS[1])])
    add_batch(first, [report("three/wall", RENDERINGS["times/autumn"][0], 3, lead=LEADS[2])])
    found = relations(Store(path))
    assert {a: r for a, (r, _) in found.items()} == {
        "one/wall": "verbatim",
        "two/wall": "trimmed",
        "three/wall": "altered",
    }
    assert Store(path).quotes(relations=("altered",)).quotes[0].compared == 2


def test_a_failed_batch_leaves_no_rendering_behind(tmp_path: Path, monkeypatch) -> None:
    from onrecord.store.writes import Writer

    store = Store(str(tmp_path / "news.sqlite"))
    add_batch(store, [report("one/wall", MAYOR, 1)])
    real = Writer.set_fidelity

    def fail(self, changed):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Writer, "set_fidelity", fail)
    with pytest.raises(RuntimeError):
        add_batch(store, [report("two/wall", MAYOR, 2, lead=LEADS[1])])
    monkeypatch.setattr(Writer, "set_fidelity", real)
    assert store.quotes().total == 1
    add_batch(store, [report("three/wall", RENDERINGS["herald/wall"][0], 3, lead=LEADS[2])])
    found = {q.article: q for q in store.quotes().quotes}
    assert set(found) == {"one/wall", "three/wall"} and found["three/wall"].compared == 1


def test_a_schema_8_store_is_upgraded_and_related_at_its_next_ingest(store: Store) -> None:
    articles = reports()
    add_batch(store, articles[:5])
    with store.engine.begin() as connection:  # what schema 8 made: no renderings
        connection.execute(text("DROP TABLE renderings"))
        connection.execute(text("UPDATE onrecord_settings SET value = '8'"))
    store.engine.dispose()
    upgraded = Store(store.url)
    with upgraded.engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT name, value FROM onrecord_settings")).all())
    assert rows["schema"] == SCHEMA_VERSION == "9" and UNRELATED_UP_TO in rows
    assert upgraded.quotes().total == 0  # not related until the next ingest
    add_batch(upgraded, articles[5:])
    found = relations(upgraded)
    assert {a: r for a, (r, _) in found.items()} == {a: r for a, (_, r) in RENDERINGS.items()}
    with upgraded.engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM onrecord_settings")).scalars().all()
    assert names == ["schema"]


# -- the seed article, through the normal ingest path ------------------------------------------


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed article is absent")
def test_seed_zelensky_quote_is_altered_and_the_unspun_report_is_first(tmp_path: Path) -> None:
    from onrecord import Extractor
    from onrecord.pipeline.ingest import ingest

    seed_text = SEED.read_text(encoding="utf-8")
    pattern = re.compile(r"\b(" + "|".join(UNSPIN) + r")\b")
    unspun_text = pattern.sub(lambda m: UNSPIN[m.group()], seed_text)
    unspun = Article("unspun", unspun_text, outlet="original-outlet", published="2022-03-29")
    seed = Article("seed", seed_text, outlet="spinner", published="2022-03-30")
    store = Store(str(tmp_path / "news.sqlite"))
    for _ in ingest(store, Extractor(), [unspun, seed]):
        pass
    quotes = store.article_quotes("seed").quotes
    headline = next(
        q
        for q in quotes
        if q.speaker and "Zelensky" in q.speaker and "sink Russian bullets" in q.words[0]
    )
    assert headline.relation == "altered"
    assert headline.changes == [("drown out", "sink"), ("shells", "bullets")]
    first = headline.first_on_record
    assert (first.article, first.outlet, first.published) == (
        "unspun",
        "original-outlet",
        "2022-03-29",
    )
    assert not first.matches and headline.renderings[0].article == "unspun"
    (attribution,) = [
        a for i, a in enumerate(store.article("seed").attributions) if i == headline.ordinal
    ]
    assert attribution.fidelity.relation == "altered"


# -- the CLI and the API -----------------------------------------------------------------------


@pytest.fixture
def record(tmp_path: Path) -> str:
    path = str(tmp_path / "news.sqlite")
    store = Store(path)
    for article in reports():
        add_batch(store, [article])
    store.engine.dispose()
    return path


def test_cli_quotes_altered_shows_the_changed_words_side_by_side(record: str, capsys) -> None:
    assert main(["quotes", "--altered", "--db", record, "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "winter → autumn; compensated → paid" in out
    assert "times/autumn#0" in out and "post/mayor#0" in out and "herald/wall" not in out
    assert "≠ gazette 2024-03-01 gazette/harbour-wall" in out and "1-2 of 2" in out
    assert main(["quotes", "--relation", "trimmed", "--db", record, "--format", "jsonl"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["article"] == "herald/wall"
    assert main(["quotes", "--altered", "--until", "2024-03-04", "--db", record]) == 0
    assert [json.loads(r)["article"] for r in capsys.readouterr().out.splitlines()] == [
        "post/mayor"
    ]
    assert main(["quotes", "--altered", "--db", record, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("published,outlet,quote,article,speaker,relation,changes")
    assert "winter → autumn; compensated → paid" in rows[1]


def test_cli_quote_shows_an_article_against_its_renderings(record: str, capsys) -> None:
    assert main(["quote", "times/autumn", "--db", record, "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "altered: winter → autumn; compensated → paid" in out
    assert "first on record: ≠ gazette 2024-03-01 gazette/harbour-wall" in out
    for article_id in RENDERINGS.keys() - {"times/autumn"}:
        assert f"{article_id}#0" in out
    assert main(["quote", "times/autumn", "--db", record, "--format", "jsonl"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["quotes"]) == 1 and len(found["quotes"][0]["renderings"]) == 5
    assert main(["quote", "no/such", "--db", record]) == 3
    assert "no article 'no/such'" in capsys.readouterr().err


def test_api_quotes_and_article_quotes(record: str) -> None:
    from onrecord.interfaces.api import create_app

    client = TestClient(create_app(record), base_url="http://localhost")
    page = client.get("/api/quotes", params={"altered": "true"}).json()
    assert page["total"] == 2 and {q["relation"] for q in page["quotes"]} == {
        "altered",
        "spliced",
    }
    altered = client.get("/api/quotes", params={"relation": "altered", "outlet": "times"})
    (row,) = altered.json()["quotes"]
    assert row["changes"] == [["winter", "autumn"], ["compensated", "paid"]]
    assert row["first_on_record"]["article"] == "gazette/harbour-wall"
    found = client.get("/api/article-quotes/times/autumn").json()
    (quote,) = found["quotes"]
    assert quote["spans"] and quote["words"] == [RENDERINGS["times/autumn"][0]]
    renderings = quote["renderings"]
    assert [r["published"] for r in renderings] == sorted(r["published"] for r in renderings)
    assert renderings[0]["article"] == "gazette/harbour-wall"
    assert {r["relation"] for r in renderings} == {"verbatim", "trimmed", "spliced", "paraphrased"}
    assert client.get("/api/article-quotes/no/such").status_code == 404
    article = client.get("/api/articles/times/autumn").json()
    assert article["attributions"][0]["fidelity"]["relation"] == "altered"
    assert client.get("/api/quotes", params={"limit": 0}).status_code == 422
