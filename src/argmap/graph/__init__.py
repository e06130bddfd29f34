"""The graph stage: RDF from extractions and links (one named graph per article and a
links graph), the argmap vocabulary, and SHACL validation.

Modules: :mod:`.dataset` (triples, TriG), :mod:`.vocab` (namespaces), :mod:`.validate`
and :mod:`.shacl` (the shapes and their compiled checks), :mod:`.oxterms` (rdflib and
Oxigraph terms).
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "dataset": ("Triples", "article_iri", "graph_iri", "entity_iri", "claim_iri", "forecast_iri", "article_graph",
                "links_graph", "to_dataset", "write_trig", "read_dataset", "EXTRACTOR_VERSION"),
    "vocab": ("ARG", "ID", "OA", "SCHEMA", "TYPE_CLASSES", "PREFIXES", "LINKS_GRAPH", "vocabulary_path", "local_name"),
    "validate": ("Violation", "ENGINES", "shapes_path", "validate_graph", "validate_dataset", "validate_trig",
                 "check_graph"),
}

__all__ = sorted(name for names in _EXPORTS.values() for name in names)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
