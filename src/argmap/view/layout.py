"""The map's frozen layout: camps in bands (closed | both | open), entities pulled
towards the claims that mention them, crowding pushed apart on density grids, and
every node given cells of its own so nothing overlaps.

Linear in the number of nodes and edges (no n×n arrays), so 20k-node maps lay out
in seconds; deterministic for a given graph and seed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import networkx as nx
import numpy as np

__all__ = ["place", "place_new", "footprint"]


_BAND_ORDER = ("closed", "both", "open")
_EDGE_PULL = {"appears_in": 0.08, "mentions": 1.0, "supports": 1.5, "contrasts": 1.0, "restates": 1.0,
              "stated_in": 2.0}
_UNIT = 55.0  # pixels between neighbouring node centres
_PULL, _PUSH, _BAND_PULL = 0.08, 8.0, 0.12  # springs, crowding, claims to their band centre
_SCALES = (1, 4, 16)  # cell sizes at which crowding is felt
_PULL_REF = 40.0  # map height (cells) above which springs weaken


def _bands(counts: dict[str, int], width: float) -> dict[str, tuple[float, float]]:
    total = sum(counts.values()) or 1
    weights = {c: max(counts.get(c, 0) / total, 0.12) for c in _BAND_ORDER}
    scale = width / sum(weights.values())
    bands, x = {}, -width / 2
    for camp in _BAND_ORDER:
        bands[camp] = (x, x + weights[camp] * scale)
        x += weights[camp] * scale
    return bands


def place(g: nx.MultiDiGraph, *, importance: Callable[[str], float] | None = None, iterations: int = 120,
          seed: int = 7) -> dict:
    """Compute a frozen layout and store it in the ``x``/``y`` node attributes (pixels).

    Claims and forecasts stay in their camp's band (closed left, both in the middle,
    open right); entities and articles are free and drift to the claims linked to
    them.  Edges pull, and crowding pushes apart (density grids at a few scales, so
    the cost is linear in the size of the map); a last pass puts every node on its
    own grid cells so neither nodes nor labels overlap.  Deterministic for a given graph.  Returns the bands
    ``{camp: (x0, x1)}`` in pixels.
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    index = {node: i for i, node in enumerate(nodes)}
    kinds = [g.nodes[v]["kind"] for v in nodes]
    camps = [g.nodes[v].get("camp") if k in ("claim", "forecast") else None for v, k in zip(nodes, kinds)]
    height = math.sqrt(n * 2.6 / 1.6) + 2
    width = 1.6 * height
    bands = _bands(Counter(c for c in camps if c), width)
    whole = (-width / 2, width / 2)
    bound = np.array([(bands.get(c, whole)[0] + 0.5, bands.get(c, whole)[1] - 0.5) if c else whole for c in camps])

    articles = sorted(v for v, k in zip(nodes, kinds) if k == "article")
    rows = {a: (i + 0.5) / max(len(articles), 1) * height - height / 2 for i, a in enumerate(articles)}
    pos = np.empty((n, 2))
    pos[:, 0] = rng.uniform(bound[:, 0], bound[:, 1])
    pos[:, 1] = rng.uniform(-height / 2, height / 2, n)
    for i, node in enumerate(nodes):
        homes = [rows[v] for _, v, k in g.out_edges(node, keys=True) if k == "appears_in" and v in rows]
        if homes:
            pos[i, 1] = homes[0] + rng.normal(0, height / (4 * max(len(articles), 1)))
        if node in rows:
            pos[i] = (0.0, rows[node])

    edges = [(index[u], index[v], _EDGE_PULL.get(k, 0.5)) for u, v, k in g.edges(keys=True) if u != v]
    if edges:
        src, dst, weight = (np.array(col) for col in zip(*edges))
        # Hubs (articles, common entities) would otherwise pull everything into one heap.
        degree = np.bincount(np.concatenate([src, dst]), minlength=n).astype(float)
        weight = weight / np.sqrt(np.maximum(degree[src], 1) * np.maximum(degree[dst], 1)) ** 0.5
    else:
        src = dst = np.zeros(0, dtype=int)
        weight = np.zeros(0)
    centre = bound.mean(axis=1)
    banded = np.array([c is not None for c in camps])
    lo = np.array([-width / 2 - 1, -height / 2 - 1])
    shape = (int(math.ceil(width)) + 3, int(math.ceil(height)) + 3)
    for step in range(iterations):
        heat = 0.6 * (1 - step / iterations) + 0.05
        force = np.zeros_like(pos)
        if len(src):
            # Springs stretch with the map (lengths grow like its side): weaken them on big maps
            # so they do not swamp the push and heap everything at the hubs.
            pull = (pos[dst] - pos[src]) * weight[:, None] * (_PULL * min(1.0, _PULL_REF / height))
            for axis in (0, 1):
                force[:, axis] += np.bincount(src, pull[:, axis], n) - np.bincount(dst, pull[:, axis], n)
        for cell in _SCALES:  # crowding felt near and far, so a dense heap spreads as a whole
            if cell == 1 or cell * 5 < min(shape):
                force -= _PUSH * cell * _density_gradient(pos, lo, shape, cell)
        force[banded, 0] += (centre[banded] - pos[banded, 0]) * _BAND_PULL
        force[:, 1] -= pos[:, 1] * 0.002
        length = np.maximum(np.linalg.norm(force, axis=1), 1e-9)
        pos += force * (np.minimum(length, heat * 3) / length)[:, None]
        pos[:, 0] = np.clip(pos[:, 0], bound[:, 0], bound[:, 1])
        pos[:, 1] = np.clip(pos[:, 1], -height / 2, height / 2)
    weight = importance or g.degree
    order = sorted(range(n), key=lambda i: (-weight(nodes[i]), nodes[i]))
    cells = _snap(pos, bound, order, [footprint(g.nodes[v]) for v in nodes])
    for i, node in enumerate(nodes):
        g.nodes[node]["x"] = round(float(cells[i][0]) * _UNIT, 1)
        g.nodes[node]["y"] = round(float(cells[i][1]) * _UNIT, 1)
    return {c: (round(x0 * _UNIT, 1), round(x1 * _UNIT, 1)) for c, (x0, x1) in bands.items()}


def _density_gradient(pos: np.ndarray, lo: np.ndarray, shape: tuple[int, int], cell: float = 1.0) -> np.ndarray:
    """Gradient of a blurred node-density grid (nodes per unit area) at each node.

    Cloud-in-cell deposit on cells of side ``cell``, two 3x3 box blurs, bilinear read-back.
    """
    rel = (pos - lo) / cell
    dims = np.array([int(math.ceil(shape[0] / cell)) + 2, int(math.ceil(shape[1] / cell)) + 2])
    base = np.clip(np.floor(rel).astype(int), 0, dims - 2)
    frac = np.clip(rel - base, 0, 1)
    weights = [((frac[:, 0] if dx else 1 - frac[:, 0]) * (frac[:, 1] if dy else 1 - frac[:, 1]), dx, dy)
               for dx in (0, 1) for dy in (0, 1)]
    grid = np.zeros(int(dims[0] * dims[1]))
    for w, dx, dy in weights:
        grid += np.bincount((base[:, 0] + dx) * dims[1] + base[:, 1] + dy, w, grid.size)
    grid = grid.reshape(tuple(dims))
    for _ in range(2):
        padded = np.pad(grid, 1)
        grid = sum(padded[1 + dx: padded.shape[0] - 1 + dx, 1 + dy: padded.shape[1] - 1 + dy]
                   for dx in (-1, 0, 1) for dy in (-1, 0, 1)) / 9.0
    gx, gy = np.gradient(grid / (cell * cell))
    out = np.zeros_like(pos)
    for w, dx, dy in weights:
        out[:, 0] += w * gx[base[:, 0] + dx, base[:, 1] + dy]
        out[:, 1] += w * gy[base[:, 0] + dx, base[:, 1] + dy]
    return out / cell


_SPIRAL = sorted(((dx, dy) for dx in range(-12, 13) for dy in range(-12, 13)),
                 key=lambda d: (d[0] ** 2 + d[1] ** 2, d))


def _ring(radius: int):
    """Cells at Chebyshev distance ``radius`` from the origin."""
    for d in range(-radius, radius + 1):
        yield from ((d, -radius), (d, radius))
    for d in range(-radius + 1, radius):
        yield from ((-radius, d), (radius, d))


def _offsets():
    yield from _SPIRAL
    radius = 13
    while True:
        yield from _ring(radius)
        radius += 1


def footprint(attrs: dict) -> tuple[int, int]:
    """Grid cells a node needs on each side, across and down (labels sit under nodes)."""
    label = attrs.get("label") or ""
    if attrs["kind"] == "article":
        return 2, 1
    char = {"entity": 11, "forecast": 7}.get(attrs["kind"], 8)  # pixels per character at the page's font sizes
    return (min(3, int(len(label) * char / _UNIT / 2 + 0.5)) if label else 0), 0


def _snap(pos: np.ndarray, bound: np.ndarray, order: list[int], footprints: list[tuple[int, int]],
          taken: set | None = None) -> list[tuple[int, int]]:
    """Give each node the free grid cells nearest its position (its centre inside its band).

    A node takes ``(2 * across + 1) x (2 * down + 1)`` cells, so labels do not overlap;
    ``taken`` holds cells already in use.
    """
    taken = set() if taken is None else taken
    cells: list = [None] * len(pos)
    for i in order:
        cx, cy = int(round(pos[i, 0])), int(round(pos[i, 1]))
        x0, x1 = math.ceil(bound[i, 0]), math.floor(bound[i, 1])  # cells strictly inside the band
        if x0 > x1:
            x0 = x1 = int(round(bound[i].mean()))
        across, down = footprints[i]
        # Centre first: on a crowded grid most spots fail there, so the test stops early.
        area = sorted(((kx, ky) for kx in range(-across, across + 1) for ky in range(-down, down + 1)),
                      key=lambda k: abs(k[0]) + abs(k[1]))
        for dx, dy in _offsets():
            x, y = cx + dx, cy + dy
            if x0 <= x <= x1 and all((x + kx, y + ky) not in taken for kx, ky in area):
                break
        taken.update((x + kx, y + ky) for kx, ky in area)
        cells[i] = (x, y)
    return cells


def place_new(g: nx.MultiDiGraph, fixed: dict[str, tuple[float, float]], bands: dict[str, tuple[float, float]], *,
              importance: Callable[[str], float] | None = None, seed: int = 7) -> None:
    """Keep the nodes in ``fixed`` (pixels) where they are and place the others of ``g``
    near their placed neighbours, on free cells, claims and forecasts inside their
    camp's band (``bands`` in pixels, as :func:`place` returned them).  Sets ``x``/``y``.

    For a map that changed a little since it was laid out: the cost is that of the new
    nodes and their neighbours, and what was on the page stays where it was.
    """
    rng = np.random.default_rng(seed)
    cells = {n: (round(x / _UNIT), round(y / _UNIT)) for n, (x, y) in fixed.items() if n in g}
    taken: set = set()
    for node, (x, y) in cells.items():
        across, down = footprint(g.nodes[node])
        taken.update((x + kx, y + ky) for kx in range(-across, across + 1) for ky in range(-down, down + 1))
    in_cells = {c: (x0 / _UNIT, x1 / _UNIT) for c, (x0, x1) in bands.items()}
    whole = (min((b[0] for b in in_cells.values()), default=-1e6), max((b[1] for b in in_cells.values()), default=1e6))
    bottom = max((y for _, y in cells.values()), default=0)
    weight = importance or g.degree
    new = sorted((n for n in g if n not in cells), key=lambda n: (-weight(n), n))
    for node in new:
        attrs = g.nodes[node]
        banded = attrs["kind"] in ("claim", "forecast") and attrs.get("camp") in in_cells
        lo, hi = in_cells[attrs["camp"]] if banded else whole
        near = [cells[m] for m in nx.all_neighbors(g, node) if m in cells]
        if near:
            x = sum(c[0] for c in near) / len(near) + rng.normal(0, 0.5)
            y = sum(c[1] for c in near) / len(near) + rng.normal(0, 0.5)
        elif attrs["kind"] == "article":  # a new article starts a row below the others
            x, y = 0.0, bottom + 2.0
        else:
            x, y = (lo + hi) / 2 + rng.normal(0, 1.0), bottom + 2.0
        x = min(max(x, lo + 0.5), hi - 0.5) if banded else x
        [cell] = _snap(np.array([[x, y]]), np.array([[lo + 0.5, hi - 0.5] if banded else list(whole)]), [0],
                       [footprint(attrs)], taken)
        cells[node] = cell
        bottom = max(bottom, cell[1])
    for node, (x, y) in cells.items():
        g.nodes[node]["x"] = round(float(x) * _UNIT, 1)
        g.nodes[node]["y"] = round(float(y) * _UNIT, 1)


# ---------------------------------------------------------------- the page
