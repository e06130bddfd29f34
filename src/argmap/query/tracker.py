"""The forecast tracker: every prediction, when it comes due, how sure, by whom.

Reads the graph through the public ``forecasts`` query, so it works on any graph
argmap wrote (local or remote rows alike).
"""

from __future__ import annotations

from ..graph.vocab import local_name
from .saved import compact, resolve_query, run_query

__all__ = ["TRACKER_COLUMNS", "tracked_forecasts"]

TRACKER_COLUMNS = ["due", "from", "confidence", "camp", "subject", "text", "source", "phrase"]


def _local(value) -> str:
    return local_name(compact(value), "/") if value is not None else ""


def tracked_forecasts(dataset, due_by: int | None = None, camp: str | None = None,
                      subject: str | None = None) -> list[dict]:
    """Forecasts sorted by when they come due (open-ended and undated last).

    ``due_by`` keeps forecasts whose horizon ends by that year; ``camp`` one camp;
    ``subject`` forecasts about an entity whose label contains the text.
    """
    rows = run_query(dataset, resolve_query("forecasts").text).records()
    found = []
    for row in rows:
        end, start = row.get("horizon_end"), row.get("horizon_start")
        if due_by is not None and (end is None or end > due_by):
            continue
        row_camp = _local(row.get("camp")).rsplit("#", 1)[-1]
        if camp and row_camp != camp:
            continue
        subjects = row.get("subject") or ""
        if subject and subject.lower() not in subjects.lower():
            continue
        found.append({
            "due": end, "from": start, "confidence": str(row["confidence"]).rsplit("#", 1)[-1], "camp": row_camp,
            "subject": subjects, "text": row["text"], "source": _local(row["source"]), "phrase": row.get("phrase"),
        })
    return sorted(found, key=lambda r: (r["due"] is None, r["due"] or 0, r["source"], r["text"]))
