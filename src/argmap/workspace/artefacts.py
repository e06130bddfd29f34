"""What a change writes besides the corpus: article graphs, the state database, links.trig.

:func:`prepare` brings the state database to a set of articles — inside a
transaction the caller opened and commits (:mod:`argmap.workspace.update` orders the writes) —
making the stale article graphs, the links lines that go and come, and the page's
map data, and validates what changed; :func:`write_links_file` then patches links.trig.
Only new or changed articles are read from the extraction cache (or extracted), and
only their keys are computed by rendering them (the state database remembers the others').
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..link import state as linkstate
from ..model import Article, Extraction, LinkedCorpus, claim_key
from ..view import mapfacts
from . import mapstate, statedb
from .graphdir import (GraphDir, article_hash, article_trig, extraction_key, graph_key, key_rules, load_extraction,
                       read_assembled, store_extraction, trig_key)
from .linksfile import add_digests, item_lines, lines_digest, patch_links, read_digest, write_links

__all__ = ["Change", "prepare", "write_links_file", "build_state", "article_keys", "article_hash", "read_assembled",
           "record_assembled"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Change:
    """What a change writes besides the state database (already changed, not committed)."""

    trigs: dict[str, str]  # article id → the text of its rewritten graph file
    extracted: list[str]
    removed_lines: set[str]  # lines of links.trig that go, and come (both empty when ``lines`` is set)
    added_lines: set[str]
    digest: int  # of links.trig afterwards
    patch_from: int | None  # the digest of the links.trig to patch; None: write ``lines`` whole
    lines: set[str] | None
    keys: dict[str, tuple[str, str]]  # article id → (extraction key, graph key)


def prepare(conn, gd: GraphDir, after: list[Article], model: str, nlp, note: Progress,
            max_chars: int | None = None, jobs: int | None = None) -> Change:
    """Bring the state database to ``after`` (inside the open transaction), make the
    stale article graphs and the links lines, and validate what changed."""
    from ..graph.dataset import article_graph

    # A new database (statedb.connect) knows no article and no links.trig: everything is
    # new and links.trig is written whole.
    old_digest = int(statedb.get_meta(conn, "links") or -1)
    both = article_keys(after, model, statedb.assembled(conn))
    keys = {i: k[0] for i, k in both.items()}
    graph_keys = {i: k[1] for i, k in both.items()}
    known = linkstate.members(conn)
    gone = sorted(i for i, k in known.items() if keys.get(i) != k)
    incoming = [a for a in after if known.get(a.id) != keys[a.id]]
    stale = [a for a in after if trig_key(gd.article(a.id)) != graph_keys[a.id]]
    needed = list({a.id: a for a in incoming + stale}.values())
    extractions, extracted = _extract(gd, needed, model, nlp, note, max_chars, jobs)
    delta = linkstate.apply(conn, gone, [(extractions[a.id], keys[a.id]) for a in incoming])
    graphs = {a.id: article_graph(extractions[a.id], model) for a in stale}
    removed, added = item_lines(delta.removed), item_lines(delta.added)
    # links.trig is patched if it is the file the state described before this change.
    patch_from = old_digest if read_digest(gd.links) == old_digest else None
    if patch_from is not None:
        lines, digest = None, add_digests(old_digest, added - removed, removed - added)
    else:
        lines = item_lines(linkstate.all_items(conn))
        digest = lines_digest(lines)
    statedb.set_meta(conn, "links", str(digest))
    claims = {claim_key(c.span.quote) for a in stale for c in extractions[a.id].claims}
    _validate(graphs, added | item_lines(linkstate.claim_items_of(conn, claims)))
    _update_map(conn, gd, after, graph_keys, graphs, extractions, model, removed, added)
    trigs = {a.id: article_trig(a.id, graph_keys[a.id], graphs[a.id]) for a in stale}
    return Change(trigs, extracted, removed, added, digest, patch_from, lines, both)


def _update_map(conn, gd: GraphDir, after: list[Article], graph_keys: dict[str, str], graphs: dict,
                extractions: dict[str, Extraction], model: str, removed: set[str], added: set[str]) -> None:
    """Bring the page's map data to the new graphs: the facts of the article graphs it
    does not have, and of the links lines that went and came (:mod:`argmap.workspace.mapstate`)."""
    from ..graph.dataset import article_graph, graph_iri
    from ..graph.vocab import LINKS_GRAPH

    known = mapstate.members(conn)
    names = {str(graph_iri(a.id)): a for a in after}
    gone = [name for name, key in known.items() if name not in names or key != graph_keys[names[name].id]]
    fresh = {}
    for name, article in names.items():
        if known.get(name) != graph_keys[article.id]:
            graph = graphs.get(article.id)
            if graph is None:
                graph = (article_graph(extractions[article.id], model) if article.id in extractions
                         else _read_graph(gd, article.id))
            fresh[name] = (graph_keys[article.id], mapfacts.graph_facts(graph))
    links = str(LINKS_GRAPH)
    if not known:  # an empty map (new or started again): every links line is new
        mapstate.rebuild(conn, {**fresh, links: (None, mapstate.facts_of_lines(added))})
    else:
        mapstate.apply(conn, gone, fresh, links, mapstate.facts_of_lines(removed), mapstate.facts_of_lines(added))


def _read_graph(gd: GraphDir, article_id: str):
    """An article's graph from its file (current, but not yet in the map: a change died
    after writing it)."""
    from rdflib import Dataset

    from ..graph.dataset import graph_iri

    ds = Dataset()
    ds.parse(gd.article(article_id), format="trig")
    return ds.graph(graph_iri(article_id))


def write_links_file(conn, gd: GraphDir, change: Change) -> bool:
    """Write links.trig after the state is committed; True if it was patched."""
    if change.patch_from is not None:
        if patch_links(gd.links, change.patch_from, change.removed_lines, change.added_lines, change.digest):
            return True
        lines = item_lines(linkstate.all_items(conn))  # changed under us: write it whole
    else:
        lines = change.lines
    digest = write_links(lines, gd.links)
    if digest != change.digest:
        statedb.set_meta(conn, "links", str(digest))
    return False


def article_keys(articles: list[Article], model: str,
                 assembled: tuple[str | None, dict[str, dict]]) -> dict[str, tuple[str, str]]:
    """Each article's (extraction key, graph key).  The keys hash the article's file as
    argmap renders it, and rendering the YAML of a whole corpus would be the dearest
    part of reading it at every change: the state database keeps the keys of each
    article with the hash of its fields (``assembled``, :func:`statedb.assembled`), and
    only new or changed articles are rendered."""
    rules_of_keys, entries = assembled
    known = entries if rules_of_keys == key_rules(model) else {}
    found = {}
    for article in articles:
        entry = known.get(article.id, {})
        if entry.get("hash") == article_hash(article):
            found[article.id] = entry["keys"]
        else:
            found[article.id] = (extraction_key(article, model), graph_key(article, model))
    return found


def _extract(gd: GraphDir, articles: list[Article], model: str, nlp, note: Progress, max_chars: int | None = None,
             jobs: int | None = None) -> tuple[dict[str, Extraction], list[str]]:
    found: dict[str, Extraction] = {}
    missing = []
    for article in articles:
        cached = load_extraction(gd, article, extraction_key(article, model))
        if cached is None:
            missing.append(article)
        else:
            found[article.id] = cached
    if missing:
        from ..settings import DEFAULT_MAX_CHARS
        from .build import pipeline_for
        from ..extract.parallel import extract_in_parallel

        nlp = pipeline_for(missing, model, nlp, max_chars or DEFAULT_MAX_CHARS)
        note(f"extracting {len(missing)} article(s): {', '.join(a.id for a in missing)}")
        for extraction in extract_in_parallel(missing, nlp, jobs):
            # Caches are keyed by content, so writing them before the commit is safe.
            store_extraction(gd, extraction, extraction_key(extraction.article, model))
            found[extraction.article.id] = extraction
    return found, [a.id for a in missing]


def _validate(graphs: dict, links_lines: set[str]) -> None:
    """SHACL on what this change adds: the rewritten article graphs (by id), and the
    lines of the new links items with the descriptions of those graphs' claims."""
    from ..graph.oxterms import ox
    from ..graph.validate import check_store, graphs_store
    from ..graph.vocab import LINKS_GRAPH

    module, store = ox(), graphs_store(graphs)
    if links_lines:
        store.load("\n".join(links_lines).encode("utf-8"), format=module.RdfFormat.N_TRIPLES,
                   to_graph=module.NamedNode(str(LINKS_GRAPH)))
    if len(store):
        check_store(store, "the updated graph")


def record_assembled(conn, articles: list[Article], keys: dict[str, tuple[str, str]], model: str) -> None:
    """Record in the state database that argmap.trig now holds ``articles`` (after it was
    assembled): what the next change compares the corpus with."""
    statedb.record_assembled(conn, {a.id: (article_hash(a), *keys[a.id]) for a in articles}, key_rules(model))


def build_state(conn, articles: list[Article], extractions: dict[str, Extraction], graphs: dict,
                model: str) -> tuple[set[str], LinkedCorpus, object]:
    """Fill the state database from scratch for a build (inside the caller's
    transaction): link the corpus there, as every later change does, and keep the
    page's map facts.  Return the lines of links.trig, the linked corpus and the
    links graph.  (:func:`argmap.link.link` is the reference the incremental linking
    is held to, by a property test; a build no longer scores every pair twice.)"""
    import dataclasses

    from ..graph.dataset import graph_iri, links_graph
    from .linksfile import linked_from_items
    from ..graph.vocab import LINKS_GRAPH

    statedb.reset(conn)
    linkstate.apply(conn, [], [(extractions[a.id], extraction_key(a, model)) for a in articles])
    items = linkstate.all_items(conn)
    linked = dataclasses.replace(linked_from_items(items),
                                 extractions=tuple(extractions[a.id] for a in articles))
    links = links_graph(linked)
    lines = {line for line in links.serialize(format="nt").split("\n") if line.strip()}
    statedb.set_meta(conn, "links", str(lines_digest(lines)))
    mapstate.rebuild(conn, {**{str(graph_iri(a.id)): (graph_key(a, model), mapfacts.graph_facts(graphs[a.id]))
                               for a in articles}, str(LINKS_GRAPH): (None, mapfacts.graph_facts(links))})
    return lines, linked, links
