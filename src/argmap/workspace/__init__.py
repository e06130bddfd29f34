"""A corpus folder and its graphs folder, built and kept up to date: the whole build,
adding, removing and syncing articles, and everything the graphs folder holds (article
graphs, the links file, the extraction cache, the state database, the page).

:class:`Workspace` is the one handle on them.  Modules: :mod:`.build` (a whole build),
:mod:`.update` (add, remove, sync), :mod:`.graphdir` (paths, cache keys), :mod:`.artefacts`
(what a change rewrites), :mod:`.linksfile`, :mod:`.statedb`, :mod:`.mapstate`.
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "handle": ("Workspace",),
    "build": ("BuildResult",),
    "update": ("Outcome", "Update", "plan_add", "write_page"),
    "graphdir": ("GraphDir", "ArticleInfo", "list_articles", "pending"),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
