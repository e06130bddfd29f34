"""Resolve a forecast's time phrase into calendar years.

Relative spans are counted from the article's publication year: "in 5-10
years" in a 2026 article is 2031–2036, "by 2030" is 2026–2030, "in five
years" is 2031, "in 2027-2028" is 2027–2028, "this year" is 2026, "next
year" 2027, "over the next decade" 2026–2036, "in the coming 18 months"
2026–2027 and "in the 2030s" 2030–2039.  Vague phrases ("in the coming
years", "in the near term", "eventually"; ``vague_horizons`` in ``cues.yaml``)
give no years: a date the article does not state is never invented
(GUIDELINES rule 8).  The phrase as written is always kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .lexicon import lexicon, phrase_regex

__all__ = ["Horizon", "find_horizon", "NUMBER_WORDS"]

NUMBER_WORDS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                "thirty": 30, "fifty": 50, "a couple of": 2, "couple of": 2, "a few": 3, "several": 5}
_N = r"(\d{1,3}|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
_RANGE = rf"{_N}\s*(?:-|–|—|to)\s*{_N}"
_UNIT = r"[- ]?(years?|decades?)"

# (pattern, kind); kinds are resolved in _resolve.
_PATTERNS = [
    (re.compile(rf"\b(?:in|within)\s+{_N}\s+years?\s+or\s+{_N}(?:\s+years?)?\b", re.I), "range"),
    (re.compile(rf"\b(?:in|within|over|for)\s+(?:the\s+next\s+)?{_RANGE}{_UNIT}", re.I), "range"),
    (re.compile(rf"\b{_RANGE}{_UNIT}\s+(?:timelines?|horizons?|time\s?frames?|from now|out)\b", re.I), "range"),
    (re.compile(rf"\b(?:within|over the next|in the next|during the next|the next|the coming)\s+{_N}{_UNIT}", re.I),
     "within"),
    (re.compile(rf"\b(?:in|after)\s+{_N}{_UNIT}(?:\s+time)?\b", re.I), "in"),
    (re.compile(rf"\b{_N}{_UNIT}\s+(?:from now|out|later|hence)\b", re.I), "in"),
    (re.compile(r"\b(?:(?:in|during|over|between|from)\s+)?(20\d\d|21\d\d)\s*(?:-|–|—|to|and)\s*(20\d\d|21\d\d|\d\d)\b(?!\s*%)",
                re.I), "years"),
    (re.compile(r"\b(?:at|in)\s+the\s+(?:end|start|beginning|middle)\s+of\s+(20\d\d|21\d\d)\b", re.I), "year"),
    (re.compile(r"\bQ[1-4](?:\s*[-–]\s*Q[1-4])?,?\s+(20\d\d|21\d\d)\b"), "year"),
    (re.compile(r"\b(?:by|before|until|through)\s+(?:the\s+end\s+of\s+|(?:early|mid|late)[- ]?)?(20\d\d|21\d\d)\b",
                re.I), "by"),
    (re.compile(rf"\b(?:within|in|over|during)\s+(?:the\s+)?(?:next\s+|coming\s+)?{_N}(?:\s*(?:-|–|to)\s*{_N})?"
                rf"[- ]months?\b", re.I), "months"),
    (re.compile(r"\b(in|by|during|through)\s+the\s+(20\d0|21\d0)s\b", re.I), "decade-of"),
    (re.compile(r"\bnext\s+year\s+or\s+(?:two|so)\b", re.I), "year-or-two"),
    (re.compile(r"\b(?:in|during|around|circa)\s+(?:early\s+|mid-?|late\s+)?(20\d\d|21\d\d)\b", re.I), "year"),
    (re.compile(r"\b(?:by|before)\s+the\s+end\s+of\s+the\s+decade\b", re.I), "decade"),
    (re.compile(r"\b(?:later\s+|by\s+the\s+end\s+of\s+)?this\s+year\b", re.I), "this-year"),
    (re.compile(r"\b(?:by\s+|in\s+|until\s+)?next\s+year\b", re.I), "next-year"),
    # "the next decade" is the ten years that follow the article, not the 2030s.
    (re.compile(r"\b(?:(?:in|over|within|during)\s+)?the\s+(?:next|coming)\s+decade\b", re.I), "next-decade"),
]


class Horizon(NamedTuple):
    start: int | None
    end: int | None
    phrase: str
    stated: bool  # a number of years or a calendar year, not a vague phrase


def _number(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


def _resolve(kind: str, groups: tuple[str, ...], year: int | None) -> tuple[int | None, int | None] | None:
    if year is None:  # an undated article: only calendar years resolve; "in five years" from when?
        return _resolve_undated(kind, groups)
    decades = any(g and g.lower().startswith("decade") for g in groups)
    scale = 10 if decades else 1
    if kind == "range":
        a, b = _number(groups[0]) * scale, _number(groups[1]) * scale
        return (year + min(a, b), year + max(a, b)) if max(a, b) <= 200 else None
    if kind == "within":
        return year, year + _number(groups[0]) * scale
    if kind == "in":
        n = _number(groups[0]) * scale
        return (year + n, year + n) if n <= 200 else None
    if kind == "by":
        target = int(groups[0])
        return (year, target) if target >= year else None
    if kind == "years":
        years = _year_range(groups)
        return years if years and years[1] >= year else None
    if kind == "months":
        months = max(_number(g) for g in groups if g)
        return (year, year + (months - 1) // 12) if months <= 120 else None
    if kind == "decade-of":  # "in the 2030s" is 2030-2039; "by the 2030s" from now until 2030
        first = int(groups[1])
        if first + 9 < year:
            return None
        return (year, first) if groups[0].lower() == "by" else (max(year, first), first + 9)
    if kind == "year-or-two":
        return year, year + 2
    if kind == "this-year":
        return year, year
    if kind == "next-year":
        return year + 1, year + 1
    if kind == "year":
        target = int(groups[0])
        return (target, target) if target >= year else None
    if kind == "decade":
        return year, year // 10 * 10 + 9
    if kind == "next-decade":
        return year, year + 10
    return None


def _resolve_undated(kind: str, groups: tuple[str, ...]) -> tuple[int | None, int | None] | None:
    if kind in ("by", "year"):
        target = int(groups[0])
        return (None, target) if kind == "by" else (target, target)
    if kind == "years":
        return _year_range(groups)
    if kind == "decade-of":
        first = int(groups[1])
        return (None, first) if groups[0].lower() == "by" else (first, first + 9)
    return None, None


def _year_range(groups: tuple[str, ...]) -> tuple[int, int] | None:
    first, last = int(groups[0]), int(groups[1])
    if last < 100:  # "2027-28"
        last = first // 100 * 100 + last
    return (first, last) if first <= last <= first + 50 else None


@lru_cache(maxsize=1)
def _vague_regex() -> re.Pattern:
    # Built once: find_horizon runs on every forecast piece.
    return phrase_regex(lexicon().cues["vague_horizons"])


def find_horizon(text: str, year: int | None) -> Horizon | None:
    """The horizon a text states, resolved against ``year`` (``None``: the article has no
    date, and only calendar years resolve).

    >>> find_horizon("In 5-10 years I expect both to grow.", 2026)
    Horizon(start=2031, end=2036, phrase='In 5-10 years', stated=True)
    >>> find_horizon("visible in 5-10 year timelines", 2026)[:2]
    (2031, 2036)
    >>> find_horizon("printing money in five years", 2026)[:2]
    (2031, 2031)
    >>> find_horizon("by 2030 open models win", 2026)[:2]
    (2026, 2030)
    >>> find_horizon("in 2027-28 the market splits", 2026)[:2]
    (2027, 2028)
    >>> find_horizon("in the coming years", 2026)
    Horizon(start=None, end=None, phrase='in the coming years', stated=False)
    """
    best = None
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(text):
            years = _resolve(kind, m.groups(), year)
            if years and (best is None or m.start() < best[0]):
                stated = years != (None, None)
                best = (m.start(), Horizon(years[0], years[1], m.group(0), stated))
        if best:
            return best[1]
    m = _vague_regex().search(text)
    if m:
        return Horizon(None, None, m.group(0), False)
    return None
