"""The view stage: the map page (a self-contained HTML file), its graph, layout and
overview tables, and the exports of the map (GraphML, GEXF, RDF, Argdown, AIF).

Modules: :mod:`.page` (:func:`build_view`, :func:`write_html`), :mod:`.mapfacts`
(the map graph from RDF), :mod:`.layout`, :mod:`.overview`, :mod:`.argmaps` (Argdown
and AIF), :mod:`.formats` (:func:`export`).
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "page": ("MapView", "map_graph", "find_nodes", "select", "limit", "limit_notice", "build_view", "render_html",
             "write_html", "STYLE"),
    "formats": ("export", "export_graph", "export_dataset"),
    "argmaps": ("to_argdown", "to_aif"),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
