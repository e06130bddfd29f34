"""The ``argmap`` command line: thin wrappers that parse options, call the
library and render its results.  Each command lives in its own module of this
package and registers itself on :data:`main`.
"""

from __future__ import annotations

from .common import main

# Importing the command modules registers their commands on `main`.
from . import build_cmd, corpus_cmd, eval_cmd, forecasts_cmd, query_cmd, serve_cmd, train_cmd, view_cmd  # noqa: E402,F401

__all__ = ["main"]
