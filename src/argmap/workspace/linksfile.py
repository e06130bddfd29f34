"""The links graph file (``<graphs>/links.trig``), patched item by item.

The links graph is a union of independent items — one description per entity, one
per claim (text, consensus camp, source count), an ``isKey`` flag per key claim, and
one relation per restatement — and :func:`argmap.graph.links_graph` gives each item
its own triples (items never share a triple).  It grows with the corpus, so a change
does not rewrite it through rdflib: :mod:`argmap.link.state` says which items went
and came, only those go through rdflib (:func:`item_lines`), and the file's lines
are patched as bytes (:func:`patch_links`).

The file is one graph block of N-Triples lines headed by a digest of its lines.  The
digest is a sum of line hashes, so it does not depend on line order and a patch
updates it from the changed lines alone; the state records the digest of the file it
describes, and a file whose header does not match (a change that died half way, a
file edited by hand) is written again from the state (:func:`write_links`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from ..fsutil import atomic_write_bytes
from ..link.items import claim_items, entity_item, link_items, linked_from_items, restatement_item

__all__ = ["entity_item", "claim_items", "restatement_item", "link_items", "item_lines", "lines_digest",
           "add_digests", "read_digest", "write_links", "patch_links"]

_MOD = 1 << 256


# ---------------------------------------------------------------- items

def item_lines(items: Iterable[str]) -> set[str]:
    """The N-Triples lines of some items."""
    from ..graph.dataset import links_graph

    items = list(items)
    if not items:
        return set()
    text = links_graph(linked_from_items(items)).serialize(format="nt")
    return {line for line in text.split("\n") if line.strip()}


# ---------------------------------------------------------------- the file

def lines_digest(lines: Iterable[str]) -> int:
    """The sum of the lines' SHA-256 (mod 2^256): the same whatever the order."""
    total = 0
    for line in lines:
        total += int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")
    return total % _MOD


def add_digests(digest: int, added: Iterable[str] = (), removed: Iterable[str] = ()) -> int:
    """The digest after adding and removing some lines."""
    return (digest + lines_digest(added) - lines_digest(removed)) % _MOD


def _header(digest: int) -> bytes:
    from ..graph.vocab import LINKS_GRAPH

    return f"# argmap-graph links {digest:064x}\n{LINKS_GRAPH.n3()} {{\n".encode()


def read_digest(path: Path) -> int | None:
    """The digest in the header of a links file (None if missing or not ours)."""
    try:
        with open(path, "rb") as handle:
            parts = handle.readline().split()
    except OSError:
        return None
    if len(parts) != 4 or parts[:3] != [b"#", b"argmap-graph", b"links"]:
        return None
    try:
        return int(parts[3], 16)
    except ValueError:
        return None


def write_links(lines: Iterable[str], path: Path) -> int:
    """Write the whole file (lines sorted); return its digest."""
    lines = sorted(lines)
    digest = lines_digest(lines)
    body = "".join(line + "\n" for line in lines).encode("utf-8")
    atomic_write_bytes(Path(path), _header(digest) + body + b"}\n")
    return digest


def patch_links(path: Path, expected: int, removed: set[str], added: set[str], digest: int) -> bool:
    """Take ``removed`` lines out of the file and put ``added`` ones in, if its header
    names the digest ``expected``; ``digest`` is the one afterwards (:func:`add_digests`).
    False when the file is not the expected one (the caller writes it whole).

    The lines stay sorted, so each changed line is found by binary search in the
    file's bytes and the new file is the old one's slices around them: the cost is
    the changed lines and one copy of the bytes."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return False
    start, end = data.find(b"{\n") + 2, len(data) - 2
    if read_digest(path) != expected or start < 2 or not data.endswith(b"\n}\n"):
        return False
    view = memoryview(data)
    changes = sorted([(line.encode("utf-8"), False) for line in removed - added]
                     + [(line.encode("utf-8"), True) for line in added - removed])
    pieces, at = [_header(digest)], start
    for line, add in changes:
        found = _first_not_below(data, line, at, end)
        pieces.append(view[at:found])
        if add:
            pieces.append(line + b"\n")
            at = found
        elif data[found:found + len(line) + 1] == line + b"\n":
            at = found + len(line) + 1
        else:
            return False  # the line is not there: not the file the state described
    pieces += [view[at:end], b"}\n"]
    atomic_write_bytes(Path(path), b"".join(pieces))
    return True


def _first_not_below(data: bytes, line: bytes, lo: int, hi: int) -> int:
    """The offset of the first line in ``data[lo:hi]`` (sorted lines, each ending with
    a newline; ``lo`` and ``hi`` at line starts) that is not below ``line``."""
    while lo < hi:
        mid = (lo + hi) // 2
        cut = data.rfind(b"\n", lo, mid)
        begin = cut + 1 if cut >= 0 else lo
        stop = data.index(b"\n", begin)
        if data[begin:stop] < line:
            lo = stop + 1
        else:
            hi = begin
    return lo
