"""Inputs for the Spark tests, written at run time: the project's example article as
text, as web pages in a WARC and in a JSONL file; a slice of PolNeAR dev and the shared
seed article when ../shared is there (read from it, never copied into the repository);
and broken inputs: a WARC with a corrupt record, JSONL lines that are no JSON or no UTF-8.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from pathlib import Path

import pyarrow.dataset as ds

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POLNEAR = SHARED / "data" / "polnear"
EXAMPLE = REPO / "examples" / "harbour-bridge.txt"


def page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | News</nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def warc_bytes(pages: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def polnear_dev(limit: int) -> list[dict]:
    """The first ``limit`` PolNeAR dev articles as JSONL records with their dates."""
    if not POLNEAR.is_dir():
        return []
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as handle:
        dates = {
            r["filename"]: r["publication_date"] for r in csv.DictReader(handle, delimiter="\t")
        }
    records = []
    for path in sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:limit]:
        text = path.read_text(encoding="utf-8")
        records.append({"id": path.stem, "text": text, "published": dates.get(path.stem)})
    return records


def write_corpus(directory: Path, dev_articles: int = 3) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    shutil.copy(EXAMPLE, directory / "harbour-bridge.txt")
    seed = SHARED / "examples" / "seed-article.txt"
    if seed.is_file():
        shutil.copy(seed, directory / "seed-article.txt")
    pages = [
        ("https://herald.example/bridge", page("Bridge to close", text)),
        ("https://coast.example/wire/bridge", page("Bridge closes for repairs", text)),
    ]
    (directory / "pages.warc.gz").write_bytes(warc_bytes(pages))
    # A good record, then one whose gzip member is corrupt: the first is read, the rest not.
    good = warc_bytes(pages[:1])
    corrupt = bytearray(warc_bytes([("https://broken.example/x", page("x", text))]))
    corrupt[30:90] = b"\x00" * 60
    (directory / "broken.warc.gz").write_bytes(good + bytes(corrupt))
    dev = polnear_dev(dev_articles)
    lines = [json.dumps(r, ensure_ascii=False) for r in dev]
    lines.append(json.dumps({"id": "short", "text": "The mayor said the bridge would reopen.",
                             "published": "2024-03-12", "outlet": "Eastport Radio"}))  # fmt: skip
    (directory / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = (
        b'{"id": "cut", "text": "half a rec\n'
        + b'{"id": "latin1", "text": "caf\xe9 owners said they would stay open."}\n'
    )
    (directory / "bad.jsonl").write_bytes(bad + b'{"id": "no-text"}\n')
    (directory / "empty.txt").write_bytes(b"")
    (directory / "gzipped-junk.warc.gz").write_bytes(gzip.compress(b"not a warc at all\n" * 10))
    return directory


def table_rows(output: Path, table: str) -> set[str]:
    """A table's rows as a set of canonical JSON strings."""
    path = output / table
    if not path.is_dir():
        return set()
    rows = ds.dataset(str(path), format="parquet", partitioning="hive").to_table().to_pylist()
    return {json.dumps(row, sort_keys=True, default=str) for row in rows}
