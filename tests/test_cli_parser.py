"""The command line's parser: instant --help that loads nothing heavy, and each command's
own description, examples and exit codes. Nothing here loads the pipeline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onrecord.interfaces import cli

HEAVY = ("spacy", "torch", "crfsuite", "pycrfsuite", "sqlalchemy", "fastapi")
COMMANDS = (
    "extract",
    "speakers",
    "ingest",
    "search",
    "speaker",
    "claim",
    "copies",
    "article",
    "quotes",
    "quote",
    "serve",
    "eval",
    "train",
    "spark",
)
# Every option of every command, as before the CLI became a package.
OPTIONS = {
    "spark": set(),  # its options are those of `spark extract` (tests/test_spark.py)
    "extract": {"--format", "--output", "-o", "--model", "--jobs"},
    "speakers": {"--format", "--output", "-o", "--model", "--jobs"},
    "ingest": {"--db", "--batch-size", "--model", "--jobs"},
    "search": {
        *("--db", "--since", "--until", "--outlet", "--limit", "--offset", "--page", "--sort"),
        "--format",
    },
    "speaker": {
        "--db",
        "--since",
        "--until",
        "--outlet",
        "--limit",
        "--offset",
        "--page",
        "--format",
    },
    "claim": {"--db", "--format"},
    "copies": {"--db", "--format"},
    "article": {"--db", "--format"},
    "quotes": {
        *("--db", "--altered", "--relation", "--since", "--until", "--outlet", "--speaker"),
        *("--limit", "--offset", "--format"),
    },
    "quote": {"--db", "--format"},
    "serve": {"--db", "--host", "--port", "--token", "--allowed-hosts", "--model"},
    "eval": {
        *("--polnear", "--styles", "--split", "--nested", "--out", "--json", "--speakers"),
        *("--model", "--jobs"),
    },
    "train": {
        *("--polnear", "--out", "--work-dir", "--engine", "--styles", "--epochs", "--cues"),
        *("--linking", "--no-vectors", "--cue-threshold", "--c1", "--c2", "--max-iterations"),
        *("--encoder-features", "--ensemble-crf", "--limit", "--seed", "--labels", "--dev-labels"),
    },
}


def command_parsers() -> dict:
    parser = cli.build_parser()
    [commands] = [a for a in parser._actions if a.dest == "==SUPPRESS=="]
    return commands.choices


def help_of(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_building_the_parser_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from onrecord.interfaces.cli import build_parser\n"
        "build_parser()\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"parser build imported: {result.stdout.strip()}"


def test_search_help_is_instant() -> None:
    script = shutil.which("onrecord", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "onrecord"]
    best = float("inf")
    for _ in range(2):  # the first run may pay for a cold disk cache
        started = time.perf_counter()
        result = subprocess.run(
            [*command, "search", "--help"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "100"},
        )
        best = min(best, time.perf_counter() - started)
        assert result.returncode == 0, result.stderr
        assert "WORDS" in result.stdout
    assert best < 1.5, f"`onrecord search --help` took {best:.2f} s"


def test_every_command_keeps_its_options() -> None:
    parsers = command_parsers()
    assert tuple(parsers) == COMMANDS
    for name, parser in parsers.items():
        options = {s for a in parser._actions for s in a.option_strings} - {"-h", "--help"}
        assert options == OPTIONS[name], name


@pytest.mark.parametrize("command", COMMANDS)
def test_each_help_has_its_own_description_examples_and_exit_codes(command, capsys) -> None:
    out = help_of(command, capsys)
    usage, _, rest = out.partition("\n\n")
    assert usage.startswith(f"usage: onrecord {command}")
    assert not rest.startswith(("positional arguments", "options")), "no description"
    examples = out.split("examples:\n", 1)[1].split("\n\n", 1)[0]
    assert f"onrecord {command} " in examples
    assert "exit codes:\n  0 " in out and "  2   bad command line" in out
    if command not in ("extract", "speakers"):
        assert "onrecord extract article.txt" not in out, "extract's examples repeated"


def test_claim_and_article_describe_themselves(capsys) -> None:
    claim = help_of("claim", capsys)
    assert claim.split("\n\n")[1].startswith("One claim")
    assert "onrecord search WORDS" not in claim
    article = help_of("article", capsys)
    assert article.split("\n\n")[1].startswith("One article")


@pytest.mark.parametrize(
    "command", ["extract", "speakers", "search", "speaker", "copies", "article"]
)
def test_list_commands_offer_csv(command, capsys) -> None:
    assert "{table,jsonl,csv}" in help_of(command, capsys)


def test_claim_offers_csv_and_json_ld(capsys) -> None:
    assert "{table,jsonl,csv,jsonld}" in help_of("claim", capsys)


def test_search_takes_words_without_quotes() -> None:
    args = cli.build_parser().parse_args(["search", "Kirby", "OR", "Zelensky", "--db", "x"])
    assert args.query == ["Kirby", "OR", "Zelensky"]


def test_train_defaults_are_the_training_code_defaults() -> None:
    crf = pytest.importorskip("onrecord.training.crf")
    from onrecord.interfaces.cli.train import CRF_DEFAULTS, ENCODER_DEFAULTS

    settings = crf.TrainSettings()
    assert {name: getattr(settings, name) for name in CRF_DEFAULTS} == CRF_DEFAULTS
    args = cli.build_parser().parse_args(["train", "--polnear", "p", "--out", "o"])
    assert args.vectors is settings.vectors and args.limit == settings.limit
    assert args.encoder_features == settings.encoder_features
    encoder = pytest.importorskip("onrecord.training.encoder")
    defaults = encoder.EncoderSettings()
    assert {name: getattr(defaults, name) for name in ENCODER_DEFAULTS} == ENCODER_DEFAULTS
