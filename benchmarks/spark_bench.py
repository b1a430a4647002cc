"""onrecord on Spark: parity, scaling, executor memory and copies at scale.

    python benchmarks/spark_bench.py parity  --polnear ../shared/data/polnear --work /tmp/sb
    python benchmarks/spark_bench.py scaling --polnear ../shared/data/polnear --work /tmp/sb
    python benchmarks/spark_bench.py memory  --polnear ../shared/data/polnear --work /tmp/sb \
        --records 100 10000
    python benchmarks/spark_bench.py copies  --polnear ../shared/data/polnear --work /tmp/sb \
        --articles 100000

Inputs are written at run time from PolNeAR texts (none is stored in the repository):

- parity: PolNeAR dev as text files plus the project's examples; `onrecord spark extract`
  (local[2]) against `onrecord extract`, attributions compared as sets;
- scaling: PolNeAR train articles in 16 JSONL files; articles/s of `onrecord spark
  extract` with local[1] and local[2] (warm workers: the model loaded before timing; and
  with start-up), and of `onrecord extract --jobs 1` (model loaded before timing);
- memory: WARC and JSONL files of N records each (short articles: three paragraphs of a
  PolNeAR train article, a few words varied); the Python workers' and the JVM's peak
  resident memory (VmHWM, sampled from /proc) per run, one run per N;
- copies: articles synthesised from PolNeAR sentences (copies_scale.synthesise), with
  exact, near, spun and partial copies planted (copygen), written straight to an
  ``articles`` table (no extraction); the Spark copy stage's time, peak memory, and the
  precision and recall of the copies it finds (a found copy is right when its origin is
  the planted one, or an earlier copy of it).

Prints one JSON object per measurement.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent


class PeakMemory(threading.Thread):
    """Peak resident memory (VmHWM, MiB) of this process's Spark JVM and Python workers."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, tuple[str, float]] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    cmdline = (entry / "cmdline").read_bytes()
                    status = (entry / "status").read_text()
                except OSError:
                    continue
                kind = "worker" if b"pyspark.daemon" in cmdline else None
                kind = kind or ("jvm" if b"org.apache.spark" in cmdline else None)
                if kind:
                    hwm = [ln for ln in status.splitlines() if ln.startswith("VmHWM:")]
                    if hwm:
                        self.peaks[int(entry.name)] = (kind, int(hwm[0].split()[1]) / 1024)

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.join()
        out: dict[str, float] = {}
        for kind, mib in self.peaks.values():
            out[kind] = round(max(out.get(kind, 0.0), mib), 1)
        return out


def session(master: str):
    from onrecord.spark.session import spark_session

    return spark_session(master, conf={"spark.ui.showConsoleProgress": "false"})


def warm(spark, work: Path) -> None:
    """Load the model in every Python worker before timing: one tiny file per core."""
    from onrecord.spark.extract import extract_to_parquet

    folder = work / "warm-in"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for n in range(spark.sparkContext.defaultParallelism * 2):
        (folder / f"w{n}.txt").write_text("The mayor said the bridge would reopen.\n")
    extract_to_parquet(spark, [str(folder)], str(work / f"warm-out-{time.time_ns()}"), copies=False)


def polnear_texts(polnear: Path, split: str) -> list[tuple[str, str]]:
    return [
        (p.stem, p.read_text("utf-8")) for p in sorted((polnear / split / "text").glob("*.txt"))
    ]


def parity(args: argparse.Namespace) -> None:
    from onrecord.interfaces.cli import main as cli
    from onrecord.spark.extract import extract_to_parquet
    from onrecord.spark.tables import attribution_json

    inputs = args.work / "parity-in"
    shutil.rmtree(args.work, ignore_errors=True)
    inputs.mkdir(parents=True)
    for name, text in polnear_texts(args.polnear, "dev"):
        (inputs / f"{name}.txt").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "harbour-bridge.txt", inputs)
    seed = ROOT.parent / "shared" / "examples" / "seed-article.txt"
    if seed.is_file():
        shutil.copy(seed, inputs)
    files = sorted(str(p) for p in inputs.iterdir())
    single = args.work / "single.jsonl"
    started = time.perf_counter()
    cli(["extract", "--format", "jsonl", "-o", str(single), *files])
    single_s = time.perf_counter() - started
    expected = {
        json.dumps({"article": a["id"], **x}, sort_keys=True)
        for a in map(json.loads, single.read_text("utf-8").splitlines())
        for x in a["attributions"]
    }
    spark = session("local[2]")
    started = time.perf_counter()
    extract_to_parquet(spark, [str(inputs)], str(args.work / "out"), copies=False)
    spark_s = time.perf_counter() - started
    import pyarrow.dataset as ds

    rows = ds.dataset(str(args.work / "out" / "attributions"), partitioning="hive").to_table()
    found = {
        json.dumps({"article": r["article"], **attribution_json(r)}, sort_keys=True)
        for r in rows.to_pylist()
    }
    report(
        "parity",
        articles=len(files),
        attributions_extract=len(expected),
        attributions_spark=len(found),
        equal=found == expected,
        only_extract=len(expected - found),
        only_spark=len(found - expected),
        extract_s=round(single_s, 1),
        spark_s=round(spark_s, 1),
    )


def scaling(args: argparse.Namespace) -> None:
    import subprocess

    inputs = args.work / "scaling-in"
    shutil.rmtree(inputs, ignore_errors=True)
    inputs.mkdir(parents=True)
    texts = polnear_texts(args.polnear, "train")[: args.articles]
    for n in range(16):
        lines = [json.dumps({"id": i, "text": t}) for i, t in texts[n::16]]
        (inputs / f"part-{n:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for master in ("local[1]", "local[2]"):
        here, run = str(Path(__file__).parent), (master, str(inputs), str(args.work))
        code = (
            f"import sys, json; sys.path.insert(0, {here!r}); import spark_bench as b; "
            f"print(json.dumps(b.timed_spark_run(*{run!r})))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        report("scaling", master=master, articles=len(texts), **result)
    from onrecord.document import Article
    from onrecord.pipeline.extractor import Extractor
    from onrecord.readers import read_inputs

    extractor = Extractor()
    list(extractor.extract([Article("warm", "The mayor said the bridge would reopen.")]))
    files = sorted(str(p) for p in inputs.iterdir())
    started = time.perf_counter()
    articles = (a for a in read_inputs(files) if isinstance(a, Article))
    n = sum(1 for _ in extractor.extract(articles))
    seconds = time.perf_counter() - started
    report("scaling", master="onrecord extract --jobs 1", articles=n, seconds=round(seconds, 1),
           articles_per_s=round(n / seconds, 2))  # fmt: skip


def timed_spark_run(master: str, inputs: str, work: str) -> dict:
    from onrecord.spark.extract import extract_to_parquet

    started = time.perf_counter()
    spark = session(master)
    warm(spark, Path(work))
    warmed = time.perf_counter()
    output = Path(work) / f"scaling-out-{master[6]}-{time.time_ns()}"
    summary = extract_to_parquet(spark, [inputs], str(output), copies=False)
    end = time.perf_counter()
    return {
        "seconds": round(end - warmed, 1),
        "articles_per_s": round(summary.articles / (end - warmed), 2),
        "with_start_up_s": round(end - started, 1),
    }


def memory(args: argparse.Namespace) -> None:
    from spark_inputs import write_varied

    for records in args.records:
        folder = args.work / f"memory-{records}"
        shutil.rmtree(folder, ignore_errors=True)
        files = max(1, args.total // records)
        made = write_varied(args.polnear, folder / "in", records, files, random.Random(records))
        monitor = PeakMemory()
        monitor.start()
        started = time.perf_counter()
        spark = session("local[2]")
        from onrecord.spark.extract import extract_to_parquet

        summary = extract_to_parquet(spark, [str(folder / "in")], str(folder / "out"), copies=False)
        seconds = time.perf_counter() - started
        spark.stop()
        peaks = monitor.stop()
        report("memory", records_per_file=records, files=made, articles=summary.articles,
               errors=summary.errors, seconds=round(seconds, 1), peak_mib=peaks)  # fmt: skip


def copies(args: argparse.Namespace) -> None:
    from spark_inputs import planted_articles, score_copies

    folder = args.work / "copies"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    planted = planted_articles(args.polnear, folder / "articles", args.articles, args.share)
    made_s = time.perf_counter() - started
    monitor = PeakMemory()
    monitor.start()
    spark = session("local[2]")
    from onrecord.spark.copies import find_copies

    started = time.perf_counter()
    find_copies(spark, str(folder))
    seconds = time.perf_counter() - started
    import pyarrow.dataset as ds

    found = ds.dataset(str(folder / "copies")).to_table().to_pylist()
    spark.stop()
    peaks = monitor.stop()
    report("copies", articles=args.articles, planted=len(planted), generate_s=round(made_s, 1),
           seconds=round(seconds, 1), peak_mib=peaks, **score_copies(planted, found))  # fmt: skip


def report(name: str, **figures) -> None:
    print(json.dumps({"benchmark": name, **figures}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("parity", "scaling", "memory", "copies"))
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared/data/polnear")
    parser.add_argument("--work", type=Path, default=Path("/tmp/onrecord-spark-bench"))
    parser.add_argument("--articles", type=int, default=192, help="scaling; copies: 100000")
    parser.add_argument("--records", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--total", type=int, default=5000, help="memory: articles per run")
    parser.add_argument("--share", type=float, default=0.1, help="copies: share planted")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    {"parity": parity, "scaling": scaling, "memory": memory, "copies": copies}[args.what](args)


if __name__ == "__main__":
    main()
