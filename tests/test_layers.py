"""The package's layers point one way: checked with import-linter, as CI runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_imports_only_point_down_the_pipeline() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(lint).exists():
        pytest.fail("lint-imports is missing: pip install -e '.[test]'")
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_the_public_api_loads_nothing_heavy_until_used() -> None:
    code = (
        "import sys, onrecord; "
        "assert 'spacy' not in sys.modules, 'import onrecord loaded spaCy'; "
        "assert set(onrecord.__all__) >= {'Extractor', 'Article', 'Attribution', "
        "'read_inputs', 'Store', 'ingest'}; "
        "print(onrecord.Article.__name__, onrecord.read_inputs.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Article", "read_inputs"]
