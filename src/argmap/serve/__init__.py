"""Serving a built graph: the SPARQL endpoint and the map page over HTTP, and the pool
of query worker processes behind it.

Modules: :mod:`.app` (the web app, :func:`run`), :mod:`.workers` (the query pool).
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "app": ("ServeSettings", "create_app", "run", "url_for"),
    "workers": ("QueryPool", "QueryTimeout", "PoolBusy", "default_workers"),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
