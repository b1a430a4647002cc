"""Peak memory and throughput of `onrecord extract` and `onrecord ingest` on very long inputs.

    python benchmarks/long_inputs.py --polnear ../shared/data/polnear --workdir runs/long
    python benchmarks/long_inputs.py --polnear ../shared/data/polnear --only lines200k,line5mb

Writes the inputs at run time into --workdir (nothing is kept in the repository):

- ``normal``: the PolNeAR dev articles, one JSON Lines record each (the yardstick);
- ``lines200k``: 200,000 one-word lines (780 KB), each line a sentence;
- ``line5mb``: 5 MB of dev prose on one line;
- ``text20mb``: 20 MB of dev prose as one text file, paragraphs kept;
- ``jsonl10mb``: one JSON Lines record whose text is 10 MB of dev prose;
- ``ingest10mb``: ``onrecord ingest`` of that JSON Lines record into a new SQLite store.

Each runs as its own process under ``/usr/bin/time -v``, the yardstick and the short lines
with ``--jobs 1``, the long ones with ``--jobs`` (default 2: texts over a million characters
are read as parts, which the workers share); peak RSS is that of the largest process. Throughput is
characters per CPU second (user + system), so a busy machine slows the wall clock but not
the comparison with the yardstick; the ratio column is yardstick / this input (≤ 2 is the
target: at most twice as slow per character as normal articles).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from onrecord.corpora.polnear import read_split

WORDS = ("yes", "no", "fine", "ok", "sure", "later")
MB = 1_000_000


def dev_prose(polnear: str, size: int, one_line: bool) -> str:
    texts = [article.text.strip() for article in read_split(polnear, "dev")]
    parts: list[str] = []
    total = 0
    while total < size:
        for text in texts:
            text = " ".join(text.split()) if one_line else text
            parts.append(text)
            total += len(text) + 2
            if total >= size:
                break
    return (" " if one_line else "\n\n").join(parts)[:size]


def write_inputs(
    polnear: str, workdir: Path, names: set[str], text_mb: int = 20
) -> dict[str, Path]:
    workdir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    if "normal" in names:
        path = paths["normal"] = workdir / "normal.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for article in read_split(polnear, "dev"):
                out.write(json.dumps({"id": article.id, "text": article.text}) + "\n")
    if "lines200k" in names:
        path = paths["lines200k"] = workdir / "lines200k.txt"
        path.write_text("".join(WORDS[i % 6] + "\n" for i in range(200_000)), encoding="utf-8")
    if "line5mb" in names:
        path = paths["line5mb"] = workdir / "line5mb.txt"
        path.write_text(dev_prose(polnear, 5 * MB, one_line=True), encoding="utf-8")
    if "text20mb" in names:
        path = paths["text20mb"] = workdir / f"text{text_mb}mb.txt"
        path.write_text(dev_prose(polnear, text_mb * MB, one_line=False), encoding="utf-8")
    if names & {"jsonl10mb", "ingest10mb"}:
        path = paths["jsonl10mb"] = workdir / "jsonl10mb.jsonl"
        text = dev_prose(polnear, 10 * MB, one_line=False)
        path.write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
    return paths


def timed_run(command: list[str], output: Path) -> dict[str, float]:
    """Runs ``command`` under /usr/bin/time -v; returns wall and CPU seconds, peak RSS."""
    with output.open("wb") as out:
        done = subprocess.run(
            ["/usr/bin/time", "-v", *command], stdout=out, stderr=subprocess.PIPE, check=False
        )
    report = done.stderr.decode("utf-8", "replace")

    def field(name: str) -> str:
        found = re.search(rf"{re.escape(name)}: (.+)", report)
        return found.group(1).strip() if found else "0"

    minutes, _, seconds = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").rpartition(":")
    wall = float(seconds) + 60 * sum(
        float(x) * 60**i for i, x in enumerate(reversed(minutes.split(":"))) if x
    )
    return {
        "exit": done.returncode,
        "wall_s": round(wall, 1),
        "cpu_s": round(sum(float(field(f"{k} time (seconds)")) for k in ("User", "System")), 1),
        "peak_rss_mib": round(int(field("Maximum resident set size (kbytes)")) / 1024),
    }


def count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def run_one(name: str, path: Path, workdir: Path, jobs: int) -> dict[str, object]:
    onrecord = [str(Path(sys.executable).parent / "onrecord")]
    output = workdir / f"{name}.out"
    jobs = 1 if name in ("normal", "lines200k") else jobs
    if name == "ingest10mb":
        store = workdir / "ingest10mb.db"
        store.unlink(missing_ok=True)
        command = [*onrecord, "ingest", str(path), "--db", str(store), "--jobs", str(jobs)]
    else:
        command = [*onrecord, "extract", str(path), "--format", "jsonl", "--jobs", str(jobs)]
    row: dict[str, object] = {"input": name, "jobs": jobs, "chars": count_chars(path)}
    row.update(timed_run(command, output))
    if name != "ingest10mb":
        row["records_out"] = count_lines(output)
    row["chars_per_cpu_s"] = round(row["chars"] / max(row["cpu_s"], 0.1))  # type: ignore[operator]
    return row


def count_chars(path: Path) -> int:
    if path.suffix == ".jsonl":
        return sum(len(json.loads(line)["text"]) for line in path.open(encoding="utf-8"))
    return len(path.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True)
    parser.add_argument("--workdir", default="runs/long")
    parser.add_argument(
        "--only",
        default="normal,lines200k,line5mb,text20mb,ingest10mb",
        help="comma-separated inputs to run (the yardstick 'normal' is always run first)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="workers for the long inputs")
    parser.add_argument("--text-mb", type=int, default=20, help="size of the paragraphed text")
    args = parser.parse_args()
    names = {"normal", *args.only.split(",")}
    workdir = Path(args.workdir)
    paths = write_inputs(args.polnear, workdir, names, args.text_mb)
    paths["ingest10mb"] = paths.get("jsonl10mb", workdir / "jsonl10mb.jsonl")
    order = ["normal", "lines200k", "line5mb", "jsonl10mb", "text20mb", "ingest10mb"]
    yardstick = None
    for name in [n for n in order if n in names]:
        row = run_one(name, paths[name], workdir, args.jobs)
        if name == "normal":
            yardstick = row["chars_per_cpu_s"]
        row["slower_than_normal"] = round(yardstick / row["chars_per_cpu_s"], 2)  # type: ignore[operator]
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
