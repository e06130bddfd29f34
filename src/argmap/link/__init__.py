"""The link stage: one linked corpus from the extractions of every article (merged
entities, consensus camps, restatements across articles).

Modules: :mod:`.rules` (the linking rules, :func:`link`), :mod:`.items` (the items of a
linked corpus, as the state and the links file hold them), :mod:`.state` (linking kept
up to date article by article in the state database).
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "rules": ("link", "merge_entities", "merge_variants", "consensus_camp", "restatements", "similarity_matrix",
              "word_similarity", "candidate_scores", "best_partners", "content_words", "RESTATE_THRESHOLD",
              "ALIGN_THRESHOLD", "same_text", "align", "aligned", "restatement_union"),
    "state": ("LinkDelta",),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
