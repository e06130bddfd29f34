"""Predicted quantities as typed values: "$2-10T" is 2e12..1e13 USD,
"$2000/month" is 2000 USD per month."""

from __future__ import annotations

import re

from ..model import Quantity, Span

__all__ = ["find_quantities"]

_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
          "t": 1e12, "tn": 1e12, "trillion": 1e12}
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_PER = {"month": "month", "mo": "month", "year": "year", "yr": "year", "annum": "year", "week": "week",
        "day": "day", "hour": "hour", "user": "user", "seat": "seat", "token": "token"}
_NUM = r"\d[\d,]*(?:\.\d+)?"
_SCALE_RE = r"(trillion|billion|million|thousand|tn|bn|mm|[kmbt])\b"
_MONEY = re.compile(
    rf"\\?(?P<cur>[$€£¥])\s?(?P<a>{_NUM})\s*(?P<sa>{_SCALE_RE})?"
    rf"(?:\s*(?:-|–|—|to)\s*\\?[$€£¥]?\s?(?P<b>{_NUM})\s*(?P<sb>{_SCALE_RE})?)?"
    rf"(?:\s*(?:/|per|a|an)\s*(?P<per>month|mo|year|yr|annum|week|day|hour|user|seat|token)\b)?",
    re.IGNORECASE,
)


def _value(number: str, scale: str | None) -> float:
    return float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Money amounts and ranges in ``text`` (offsets shifted by ``offset``).

    >>> [(q.min_value, q.max_value, q.unit) for q in find_quantities("valued in the $2-10T range")]
    [(2000000000000.0, 10000000000000.0, 'USD')]
    >>> q = find_quantities("I would pay $2000/month for it")[0]
    >>> (q.min_value, q.per, q.span.quote)
    (2000.0, 'month', '$2000/month')
    >>> [(q.min_value, q.max_value) for q in find_quantities(r"valued at \\$2-10 trillion in 5-10 years")]
    [(2000000000000.0, 10000000000000.0)]
    """
    found = []
    for m in _MONEY.finditer(text):
        scale_b = m.group("sb")
        scale_a = m.group("sa") or (scale_b if m.group("b") else None)
        low = _value(m.group("a"), scale_a)
        high = _value(m.group("b"), scale_b or scale_a) if m.group("b") else low
        per = _PER.get((m.group("per") or "").lower())
        start = m.start() + (1 if m.group(0).startswith("\\") else 0)
        quote = text[start:m.end()].rstrip()
        found.append(Quantity(Span(offset + start, offset + start + len(quote), quote), min(low, high),
                              max(low, high), _CURRENCY[m.group("cur")], per))
    return found
