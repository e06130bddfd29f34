"""Settings read from the environment, in one place."""

from __future__ import annotations

import os

from .errors import ModelError

__all__ = ["DECIDERS", "decider_setting"]

# Who decides claims and camps: the rules, or the trained models shipped in data/models.
# The rules are the default because they win on the check split (QUALITY.md): the
# models fit the tune articles but score lower on articles they were not trained on.
DECIDERS = ("rules", "model")


def decider_setting() -> str:
    """``ARGMAP_DECIDER`` (``rules`` | ``model``), default ``rules``.

    >>> decider_setting() in DECIDERS
    True
    """
    value = os.environ.get("ARGMAP_DECIDER", "rules").strip().lower() or "rules"
    if value not in DECIDERS:
        raise ModelError(f"ARGMAP_DECIDER must be one of {', '.join(DECIDERS)}, not {value!r}")
    return value
