"""Does a refactor change what onrecord prints? Capture every command's output, then compare.

    python benchmarks/identical_output.py capture --polnear ../shared/data/polnear OUT_DIR
    python benchmarks/identical_output.py compare BEFORE_DIR AFTER_DIR [--ignore-field parent]

``capture`` runs, through the installed ``onrecord`` command, ``extract --format jsonl``
over PolNeAR dev and the project's examples, ingests the same inputs into a fresh SQLite
store, and saves ``search``, ``speaker``, ``claim``, ``copies`` and ``article`` outputs for
a fixed list of queries (claims and articles found by the first search). ``compare``
reports every file that differs; ``--ignore-field`` drops a JSON field that was added on
purpose since BEFORE was captured (named in the report). Exit 0 when identical.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = ["Trump", "Clinton tax", "police", "emails", "said", "bridge"]
SPEAKERS = ["Trump", "Clinton", "Obama", "Maria Okafor"]
MODEL = str(ROOT / "onrecord" / "models" / "attribution-crf")


def _run(args: list[str], out: Path | None = None) -> str:
    result = subprocess.run(["onrecord", *args], capture_output=True, text=True, check=False)
    text = f"exit {result.returncode}\n{result.stdout}"
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return result.stdout


def capture(polnear: Path, out_dir: Path, model: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs = [str(polnear / "dev" / "text"), str(ROOT / "examples")]
    # By file name, so a capture does not depend on how the corpus path was spelled.
    files = sorted((str(p) for d in inputs for p in Path(d).glob("*.txt")), key=_name)
    _run(["extract", "--format", "jsonl", "--model", model, *files], out_dir / "extract.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "check.sqlite")
        _run(["ingest", "--db", db, "--model", model, *inputs], out_dir / "ingest.txt")
        claims, articles = set(), set()
        for words in SEARCHES:
            rows = _run(
                ["search", words, "--db", db, "--format", "jsonl", "--limit", "50"],
                out_dir / f"search-{words.replace(' ', '_')}.jsonl",
            )
            for line in rows.splitlines():
                row = json.loads(line)
                claims.add(str(row.get("claim")))
                articles.add(str(row.get("article")))
        for name in SPEAKERS:
            _run(
                ["speaker", name, "--db", db, "--format", "jsonl"],
                out_dir / f"speaker-{name.replace(' ', '_')}.jsonl",
            )
        for key in sorted(claims)[:15]:
            _run(["claim", key, "--db", db, "--format", "jsonl"], out_dir / f"claim-{key}.jsonl")
        for article in sorted(articles)[:15]:
            safe = article.replace("/", "_")
            _run(
                ["copies", article, "--db", db, "--format", "jsonl"],
                out_dir / f"copies-{safe}.jsonl",
            )
            _run(
                ["article", article, "--db", db, "--format", "jsonl"],
                out_dir / f"article-{safe}.jsonl",
            )


def _name(path: str) -> str:
    return Path(path).name


def _drop(value, fields: set[str]):
    if isinstance(value, dict):
        return {k: _drop(v, fields) for k, v in value.items() if k not in fields}
    if isinstance(value, list):
        return [_drop(v, fields) for v in value]
    return value


def _normalised(path: Path, fields: set[str]) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not fields:
        return lines
    out = []
    for line in lines:
        try:
            out.append(json.dumps(_drop(json.loads(line), fields), ensure_ascii=False))
        except ValueError:
            out.append(line)
    return out


def compare(before: Path, after: Path, ignore: set[str]) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differing = []
    for name in names:
        a, b = before / name, after / name
        if not (a.is_file() and b.is_file()) or _normalised(a, ignore) != _normalised(b, ignore):
            differing.append(name)
    ignored = f" (ignoring field(s): {', '.join(sorted(ignore))})" if ignore else ""
    if differing:
        print(f"{len(differing)} of {len(names)} outputs differ{ignored}:")
        for name in differing:
            print(f"  {name}")
        return 1
    print(f"all {len(names)} outputs identical{ignored}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cap = commands.add_parser("capture", help="save every command's output to OUT_DIR")
    cap.add_argument("--polnear", required=True, type=Path)
    cap.add_argument("--model", default=MODEL, help="model directory (default: the CRF model)")
    cap.add_argument("out_dir", type=Path)
    cmp = commands.add_parser("compare", help="compare two captures")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    cmp.add_argument("--ignore-field", action="append", default=[])
    args = parser.parse_args()
    if shutil.which("onrecord") is None:
        print("error: the onrecord command is not installed", file=sys.stderr)
        return 3
    if args.command == "capture":
        capture(args.polnear, args.out_dir, args.model)
        return 0
    return compare(args.before, args.after, set(args.ignore_field))


if __name__ == "__main__":
    sys.exit(main())
