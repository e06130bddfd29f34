"""Settings read from the environment, in one place."""

from __future__ import annotations

import os

from .errors import ModelError

__all__ = ["DECIDERS", "decider_setting"]

# Who decides claims and camps: the trained models shipped in data/models where they
# exist (auto), the models only (model), or the rules only (rules).
DECIDERS = ("auto", "model", "rules")


def decider_setting() -> str:
    """``ARGMAP_DECIDER`` (``auto`` | ``model`` | ``rules``), default ``auto``.

    >>> decider_setting() in DECIDERS
    True
    """
    value = os.environ.get("ARGMAP_DECIDER", "auto").strip().lower() or "auto"
    if value not in DECIDERS:
        raise ModelError(f"ARGMAP_DECIDER must be one of {', '.join(DECIDERS)}, not {value!r}")
    return value
