"""The Spark copy stage finds what the single-machine ingest finds: the same origin and
relation for exact, near, spun and partial copies (real Spark, no extraction: an
``articles`` table written here from the project's example article and invented text)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.spark_corpus import EXAMPLE, table_rows

pytest.importorskip("pyspark")

SWAPS = {
    **{"closure": "shutdown", "bridge": "crossing", "said": "stated", "repairs": "works"},
    **{"council": "authority", "would": "will", "warned": "cautioned", "town": "city"},
}
HOST = "\n\n".join(
    f"Paragraph {n} of an unrelated report on the harvest festival, where growers from "
    f"the valley showed {n + 3} kinds of apples and the judges took their time." * 2
    for n in range(8)
)
OTHER = "\n\n".join(
    f"Item {n}: the library extends its opening hours for the exam season, staff say, "
    f"with {n} extra rooms set aside for quiet study." * 2
    for n in range(6)
)


def _articles() -> list[dict]:
    text = EXAMPLE.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    header = "Home | News | Sport\n\n"
    spun = re.sub(r"\b(" + "|".join(SWAPS) + r")\b", lambda m: SWAPS[m.group()], text)
    near = text.replace(paragraphs[-1], "The report was updated on Tuesday.")
    host = HOST.split("\n\n")
    partial = "\n\n".join([*host[:4], *paragraphs[1:5], *host[4:]])
    rows = [
        ("origin", text, [], "2024-03-01"),
        ("exact", header + text, [(0, len(header) - 2)], "2024-03-02"),
        ("near", near, [], "2024-03-02"),
        ("spun", spun, [], "2024-03-03"),
        ("partial", partial, [], "2024-03-04"),
        ("other", OTHER, [], "2024-03-02"),
    ]
    return [
        {"key": f"k-{name}", "id": name, "url": f"https://{name}.example/a", "published": day,
         "text": body, "boilerplate": [{"start": s, "end": e} for s, e in skip]}
        for name, body, skip, day in rows
    ]  # fmt: skip


def test_spark_copies_match_the_single_machine_ingest(spark, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from onrecord.document import Article
    from onrecord.pipeline.ingest import add_batch
    from onrecord.spark.copies import find_copies
    from onrecord.store import Store

    rows = _articles()
    (tmp_path / "articles").mkdir()
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "articles" / "part-0.parquet")
    find_copies(spark, str(tmp_path))
    found = {
        r["article"]: (r["copy_of"], r["relation"])
        for r in map(json.loads, table_rows(tmp_path, "copies"))
    }
    store = Store(str(tmp_path / "single.sqlite"))
    for row in sorted(rows, key=lambda r: (r["published"], r["key"])):
        boilerplate = [(s["start"], s["end"]) for s in row["boilerplate"]]
        article = Article(row["id"], row["text"], boilerplate=boilerplate, url=row["url"])
        article.published = row["published"]
        add_batch(store, [article])
    single = {}
    for row in rows:
        relation = store.copy_of(row["id"])
        if relation is not None:
            single[row["id"]] = (relation.copy_of, relation.relation)
    assert found == single
    assert {name: kind for name, (_, kind) in found.items()} == {
        "exact": "exact",
        "near": "near",
        "spun": "spun",
        "partial": "partial",
    }
