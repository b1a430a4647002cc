"""The limits and defaults of onrecord, in one frozen object shared by the CLI and the API.

Each value comes, first found first, from a command-line option (where the command has
one: ``onrecord ingest --batch-size``, ``onrecord search --limit``), from an environment
variable named ``ONRECORD_`` and the field's name in capitals (``ONRECORD_MAX_PAGE=200``),
or from the default below::

    from onrecord.settings import load_settings

    settings = load_settings()          # defaults, overridden by ONRECORD_* variables
    settings.max_page                   # 500 unless ONRECORD_MAX_PAGE says otherwise

``DEFAULTS`` is the object with no environment applied. ``LOW_SPEAKER_SCORE``, below which
a resolved speaker is marked uncertain, is a fixed constant kept here. This module imports
nothing of onrecord, so any layer may read it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

ENV_PREFIX = "ONRECORD_"

# A resolved speaker whose speaker_score (the calibrated probability that it is right) is
# below this is shown as uncertain, to be checked against the text: by the CLI's tables,
# in the web UI (app.js repeats the number; tests/test_web_ui.py checks they agree) and in
# the API's schema. Not an ONRECORD_* setting: every view of the record marks the same.
LOW_SPEAKER_SCORE = 0.5


class SettingsError(ValueError):
    """An ``ONRECORD_*`` variable that is not a whole number, or limits that contradict."""


def _limit(default: int, doc: str) -> int:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    """Limits and defaults; every field is a whole number of at least 1."""

    # Query results come in pages: `onrecord search/speaker --limit/--offset`, the API's
    # limit/offset parameters (GET /api/speaker: speaker_page_size), and the store's check
    # of both (Store.search and Store.speaker default to page_size and speaker_page_size).
    page_size: int = _limit(20, "rows per page when none is asked for")
    speaker_page_size: int = _limit(200, "rows per page of a speaker's claims by default")
    max_page: int = _limit(500, "most rows one page may have")
    max_offset: int = _limit(1_000_000, "most rows an API page may skip")
    # Longer queries are refused (the store) or rejected (the API) rather than run.
    max_query_chars: int = _limit(500, "longest search words or speaker name")

    # Ingest: the store writes each batch in one transaction, so a kill loses at most one.
    ingest_batch: int = _limit(32, "articles written per transaction")
    # POST /api/ingest: a request over these is answered 422 or 413 before any work.
    max_ingest_articles: int = _limit(100, "most articles one POST /api/ingest carries")
    max_body_bytes: int = _limit(5_000_000, "largest HTTP request body the API reads")

    # One article. Readers split a longer text into parts of at most max_article_chars;
    # the API refuses longer fields. The store's id and outlet columns are as wide.
    max_article_chars: int = _limit(1_000_000, "longest article text")
    max_id_chars: int = _limit(500, "longest article id")
    max_url_chars: int = _limit(2_000, "longest article URL")
    max_outlet_chars: int = _limit(300, "longest outlet name")

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise SettingsError(f"{env_name(f.name)} must be a whole number of at least 1")
        for name in ("page_size", "speaker_page_size"):
            if getattr(self, name) > self.max_page:
                raise SettingsError(
                    f"{env_name(name)} ({getattr(self, name)}) is over "
                    f"{env_name('max_page')} ({self.max_page})"
                )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The defaults, each replaced by its ``ONRECORD_*`` variable where one is set."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            name = env_name(f.name)
            raw = environ.get(name, "").strip()
            if not raw:
                continue
            try:
                values[f.name] = int(raw)
            except ValueError:
                raise SettingsError(f"{name}={raw!r} is not a whole number") from None
        return cls(**values)

    @classmethod
    def documented(cls) -> list[tuple[str, int, str]]:
        """(environment variable, default, what it limits) for every field."""
        return [(env_name(f.name), f.default, f.metadata["doc"]) for f in fields(cls)]


def env_name(field_name: str) -> str:
    """The environment variable that overrides a field: ``max_page`` -> ``ONRECORD_MAX_PAGE``."""
    return ENV_PREFIX + field_name.upper()


def load_settings() -> Settings:
    """The settings of this process: defaults overridden by ``ONRECORD_*`` variables."""
    return Settings.from_env()


DEFAULTS = Settings()
