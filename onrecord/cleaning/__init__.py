"""Marking what in a text is not the article: page boilerplate. Text is never altered."""

from onrecord.cleaning.boilerplate import (
    RULES,
    BoilerplateLine,
    boilerplate_rule,
    detect_boilerplate,
    find_boilerplate,
)

__all__ = ["RULES", "BoilerplateLine", "boilerplate_rule", "detect_boilerplate", "find_boilerplate"]
