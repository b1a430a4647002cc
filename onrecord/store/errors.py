"""What the store refuses or fails at, said in one line that names the database."""

from __future__ import annotations

import re


class StoreError(Exception):
    """The database cannot be opened or used; the message names it."""


class QueryError(ValueError):
    """A search or filter the store refuses; the message says why."""


def reason(exc: Exception) -> str:
    """The first line of the driver's own message."""
    return str(getattr(exc, "orig", exc)).splitlines()[0]


def safe(url: str) -> str:
    """The address without a password."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
