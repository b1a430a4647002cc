"""Inputs for spark_bench.py, made at run time from PolNeAR texts: varied WARC and JSONL
files of N short articles each, and a large ``articles`` table with planted copies."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

from copies_scale import sentence_pool, synthesise, vocabulary
from copygen import KINDS, make_copy, substitutions

WORD = re.compile(r"[A-Za-z]{4,}")


def short_articles(polnear: Path, rng: random.Random):
    """Endless short articles: three paragraphs of a PolNeAR train article, one word in
    ten swapped for a corpus word of the same length (so records differ)."""
    texts = [p.read_text("utf-8") for p in sorted((polnear / "train" / "text").glob("*.txt"))]
    words: dict[int, list[str]] = {}
    for text in texts[:200]:
        for word in WORD.findall(text.lower()):
            words.setdefault(len(word), []).append(word)

    def swap(match: re.Match) -> str:
        word = match.group()
        return rng.choice(words[len(word)]) if rng.random() < 0.1 and len(word) in words else word

    while True:
        paragraphs = [p for p in rng.choice(texts).split("\n") if p.strip()]
        start = rng.randrange(max(1, len(paragraphs) - 3))
        yield WORD.sub(swap, "\n\n".join(paragraphs[start : start + 3]))


def write_varied(polnear: Path, folder: Path, records: int, files: int, rng: random.Random) -> int:
    """``files`` files of ``records`` articles, WARC (gzipped per record) and JSONL in
    turn, written as streams."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = short_articles(polnear, rng)
    for n in range(files):
        if n % 2 == 0:
            _write_warc(folder / f"crawl-{n:03d}.warc.gz", texts, records, n)
        else:
            with (folder / f"feed-{n:03d}.jsonl").open("w", encoding="utf-8") as out:
                for r in range(records):
                    day = f"2016-{1 + r % 12:02d}-{1 + r % 28:02d}"
                    record = {"id": f"f{n}-{r}", "text": next(texts), "published": day}
                    out.write(json.dumps(record) + "\n")
    return files


def _write_warc(path: Path, texts, records: int, n: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for r in range(records):
            body = "".join(f"<p>{p}</p>" for p in next(texts).split("\n\n"))
            html = f"<html><body><article><h1>Report {r}</h1>{body}</article></body></html>"
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://news{n}.example/{r}",
                    "response",
                    payload=io.BytesIO(html.encode("utf-8")),
                    http_headers=headers,
                )
            )


def planted_articles(polnear: Path, folder: Path, total: int, share: float) -> dict[str, str]:
    """An ``articles`` table of ``total`` synthesised articles, ``share`` of them planted
    copies (exact, near, spun, partial in turn) of an earlier original, published a few
    days after it. Returns {copy key: origin key}."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = random.Random(7)
    pool = sentence_pool(polnear)
    words = vocabulary(pool)
    table = substitutions()
    folder.mkdir(parents=True, exist_ok=True)
    planted: dict[str, str] = {}
    originals: list[tuple[str, str, int]] = []
    rows: list[dict] = []
    for n in range(total):
        key = f"a{n:06d}"
        if originals and rng.random() < share:
            origin, text, day = rng.choice(originals)
            kind = KINDS[len(planted) % len(KINDS)]
            copy = make_copy(kind, text, synthesise(pool, words, rng), rng, table)
            planted[key] = origin
            text, boilerplate, day = copy.text, copy.boilerplate, day + rng.randint(1, 3)
        else:
            text, boilerplate, day = synthesise(pool, words, rng), [], n * 365 // total
            originals.append((key, text, day))
        rows.append(_row(key, text, boilerplate, day))
        if len(rows) == 5000:
            pq.write_table(pa.Table.from_pylist(rows), folder / f"part-{n:06d}.parquet")
            rows = []
    if rows:
        pq.write_table(pa.Table.from_pylist(rows), folder / "part-last.parquet")
    return planted


def _row(key: str, text: str, boilerplate: list, day: int) -> dict:
    from datetime import date, timedelta

    published = (date(2016, 1, 1) + timedelta(days=day)).isoformat()
    return {
        "key": key,
        "id": key,
        "url": f"https://example.org/{key}",
        "published": published,
        "text": text,
        "boilerplate": [{"start": s, "end": e} for s, e in boilerplate],
    }


def score_copies(planted: dict[str, str], found: list[dict]) -> dict:
    """Precision and recall of the copies found: a copy is right when it names its
    planted origin or another planted copy of that origin."""
    group = {copy: origin for copy, origin in planted.items()}
    right = 0
    for row in found:
        copy, origin = row["key"], row["copy_of_key"]
        if copy in group and group.get(origin, origin) == group[copy]:
            right += 1
    return {
        "found": len(found),
        "precision": round(right / max(1, len(found)), 4),
        "recall": round(right / max(1, len(planted)), 4),
        "relations": {k: sum(r["relation"] == k for r in found) for k in KINDS},
    }
