"""argmap: an argument-mapping knowledge graph from a corpus of debate articles."""

__version__ = "0.1.0"
