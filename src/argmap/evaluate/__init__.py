"""Measuring and training: the gold annotations, the scores of a built graph against
them (``argmap eval``) and the training of the shipped classifiers (``argmap train``).

Modules: :mod:`.scoring` (:func:`evaluate`), :mod:`.gold`, :mod:`.train`.
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "scoring": ("evaluate", "render_table", "fold_label", "spans_overlap", "REPORT_VERSION"),
    "gold": ("Gold", "load_gold", "parse_gold"),
    "train": ("GoldSet", "read_split", "train_all"),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
