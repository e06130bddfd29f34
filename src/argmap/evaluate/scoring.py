"""Score a built graph against gold annotations (``argmap eval``).

:func:`evaluate` is a quiet function: it takes the dataset, the corpus
articles and the gold folder and returns plain data; :func:`render_table`
turns that into text.  Each gold file is matched to a graph article by the
stem of ``article.file`` (``001_x.txt`` ↔ ``001_x.md``), else by title and
date when exactly one article has both.  Articles the gold names but the
graph or corpus lacks are skipped with a warning.

How things match (per article; "overall" sums the counts over articles):

* entities: a gold entity is found when an entity mentioned in the article
  has the gold name or an alias as ``skos:prefLabel``/``skos:altLabel``
  (compared with :func:`fold_label`); "typed" also needs ``arg:entityType``
  to agree.  Predicted = entities with a mention outside the off-topic regions.
* claims/forecasts: spans match when they overlap by at least half of the
  shorter one (:func:`spans_overlap`), paired one-to-one, largest overlap
  first.  A predicted claim is correct when it matches a gold claim or
  forecast; recall counts gold claims.  Forecasts: against gold forecasts.
* relations: both gold quotes resolve to predicted claim nodes joined by a
  relation of the type (``contrasts`` in either direction).
* duplicates: both quotes resolve to one claim node or to two joined by
  ``arg:restates``.  Restates precision: of the ``arg:restates`` pairs among the
  scored articles' claims at one end at least, the share that join the two ends
  of a gold duplicate.
* off-topic: predicted claims, forecasts and mentions at least half inside
  the regions of :func:`argmap.evaluate.gold.offtopic_regions` (target 0).

The report (``--format json``), version 1::

    version     1
    gold_dir    the gold folder
    problems    [str]: gold files that could not be scored (unreadable, a quote not in
                the article), one line each; the other files are scored
    warnings    [str]: skipped gold files, stale graph
    articles    [per-article report]:
      gold, article, file      gold file name, article id, corpus file
      matched_by               "file" | "title+date"
      entities   {untyped: PRF, typed: PRF, missed: [gold name],
                  false_positives: [label], wrong_type: [{name, gold_type, predicted_types}]}
      claims     PRF + {camp: ACC, key: ACC, unmatched_gold: [quote], unmatched_predicted: [text]}
      forecasts  PRF + {camp: ACC, confidence: ACC, horizon_stated: ACC, horizon_unstated: ACC,
                  unmatched_gold: [quote], unmatched_predicted: [text]}
      relations  PRF + {missed: [{from, to, type}]}
      duplicates {resolved, total, rate, skipped, unresolved: [{quote, other_file, other_quote}],
                  pairs: [[node, node]] (the resolved ends of each gold duplicate)}
      offtopic   {count, items: [{kind: claim|forecast|mention, start, end, text}]}
    overall     {articles: int, entities: {untyped, typed}, claims: PRF + {camp, key},
                 forecasts: PRF + {camp, confidence, horizon_stated, horizon_unstated},
                 relations: PRF, duplicates: {resolved, total, rate, skipped,
                 restates: {precision, correct, predicted}}, offtopic: {count}}

    PRF = {precision, recall, f1, gold, found, predicted, correct}: recall = found/gold,
          precision = correct/predicted; a ratio with a zero denominator is null.
          unmatched_gold are the gold quotes not found, unmatched_predicted the predicted
          texts counted wrong for precision.
    ACC = {correct, total, accuracy}
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from ..errors import GoldError
from ..graph.vocab import ARG, DCTERMS, OA, RDF, SCHEMA, SKOS, local_name
from ..model import Article
from .gold import Gold, file_stem, load_gold, locate, offtopic_regions

__all__ = ["evaluate", "load_gold", "render_table", "fold_label", "spans_overlap", "REPORT_VERSION"]

REPORT_VERSION = 1
_POSSESSIVE = re.compile(r"['’]s\b")


def fold_label(text: str) -> str:
    """Case, whitespace and possessive folded, for comparing entity names.

    >>> fold_label("  Anthropic’s ") == fold_label("anthropic") == fold_label("ANTHROPIC's")
    True
    >>> fold_label("open\\n  models")
    'open models'
    """
    return " ".join(_POSSESSIVE.sub("", text.lower()).split())


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Shared characters of two spans if they cover at least half of the shorter, else 0.

    >>> spans_overlap((0, 10), (5, 30)), spans_overlap((0, 10), (6, 30))
    (5, 0)
    """
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shortest = min(a[1] - a[0], b[1] - b[0])
    return shared if shared > 0 and 2 * shared >= shortest else 0


def _match(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> dict[int, int]:
    """One-to-one pairs gold index → predicted index, largest overlap first (ties: earliest).

    >>> _match([(0, 10), (11, 24)], [(0, 24)])
    {1: 0}
    """
    overlaps = [(spans_overlap(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)]
    matched: dict[int, int] = {}
    for shared, i, j in sorted((o for o in overlaps if o[0]), key=lambda o: (-o[0], o[1], o[2])):
        if i not in matched and j not in matched.values():
            matched[i] = j
    return matched


def _inside(span: tuple[int, int], regions: list[tuple[int, int]]) -> bool:
    covered = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in regions)
    return span[1] > span[0] and 2 * covered >= span[1] - span[0]


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _prf(found: int, gold: int, correct: int, predicted: int) -> dict:
    p, r = _ratio(correct, predicted), _ratio(found, gold)
    f = None if p is None or r is None else (0.0 if p + r == 0 else round(2 * p * r / (p + r), 4))
    return {"precision": p, "recall": r, "f1": f, "gold": gold, "found": found,
            "predicted": predicted, "correct": correct}


def _acc(correct: int, total: int) -> dict:
    return {"correct": correct, "total": total, "accuracy": _ratio(correct, total)}


# ------------------------------------------------------------------ graph snapshot

@dataclass(frozen=True)
class _Pred:
    kind: str  # claim | forecast | mention
    node: URIRef
    span: tuple[int, int]
    camp: str | None = None
    key: bool = False


def _local(term) -> str | None:
    return None if term is None else local_name(term, "#")


def _year(term) -> int | None:
    return None if term is None else int(str(term)[:4])


def _position(ds: Graph, target) -> tuple[int, int] | None:
    for sel in ds.objects(target, OA.hasSelector):
        start, end = ds.value(sel, OA.start), ds.value(sel, OA.end)
        if (sel, RDF.type, OA.TextPositionSelector) in ds and start is not None and end is not None:
            return int(start), int(end)
    return None


class _Graph:
    """What the scorer needs from the dataset, read once through the triple API.

    The named graphs are first copied into one plain graph: lookups on it are
    plain index hits (and rdflib's Dataset warns on every union lookup).
    """

    def __init__(self, dataset: Dataset | Graph):
        ds = Graph()
        for part in dataset.graphs() if isinstance(dataset, Dataset) else (dataset,):
            ds += part
        self.articles = []
        for node in ds.subjects(RDF.type, SCHEMA.Article):
            date = ds.value(node, DCTERMS.date)
            self.articles.append({
                "node": node, "id": str(ds.value(node, DCTERMS.identifier) or ""),
                "file": str(ds.value(node, ARG.file) or ""), "title": str(ds.value(node, DCTERMS.title) or ""),
                "date": date.toPython() if date is not None else None,
                "hash": str(ds.value(node, ARG.contentHash) or "")})
        self.preds: dict[URIRef, list[_Pred]] = defaultdict(list)
        kinds = {ARG.Claim: "claim", ARG.Forecast: "forecast"}
        for cls in (ARG.Appearance, ARG.Mention):
            for ann in ds.subjects(RDF.type, cls):
                body, target = ds.value(ann, OA.hasBody), ds.value(ann, OA.hasTarget)
                kind = "mention" if cls == ARG.Mention else next(
                    (k for c, k in kinds.items() if (body, RDF.type, c) in ds), None)
                span = _position(ds, target) if body is not None and target is not None else None
                if kind is None or span is None:
                    continue
                key = ds.value(ann, ARG.isKey)
                self.preds[ds.value(target, OA.hasSource)].append(_Pred(
                    kind, body, span, _local(ds.value(ann, ARG.camp)), bool(key is not None and key.toPython())))
        self.entities = {}
        for e in {p.node for preds in self.preds.values() for p in preds if p.kind == "mention"}:
            labels = [str(x) for x in ds.objects(e, SKOS.prefLabel)]
            names = {fold_label(x) for x in labels + [str(a) for a in ds.objects(e, SKOS.altLabel)]}
            self.entities[e] = (labels[0] if labels else _local(e), names, str(ds.value(e, ARG.entityType) or ""))
        self.forecasts = {}
        for f in ds.subjects(RDF.type, ARG.Forecast):
            self.forecasts[f] = (_local(ds.value(f, ARG.camp)), _local(ds.value(f, ARG.confidence)),
                                 (_year(ds.value(f, ARG.horizonStart)), _year(ds.value(f, ARG.horizonEnd))))
        self.relations = set()
        for rel in ds.subjects(RDF.type, ARG.Relation):
            self.relations.add((_local(ds.value(rel, ARG.relationType)), ds.value(rel, ARG.source),
                                ds.value(rel, ARG.target)))
        self.restates = {frozenset(pair) for pair in ds.subject_objects(ARG.restates)}
        self.restates |= {frozenset((s, t)) for kind, s, t in self.relations if kind == "restates"}


# ------------------------------------------------------------------ one article

class _Article:
    """A graph article with its corpus body, its predictions and (maybe) its gold."""

    def __init__(self, graph: _Graph, info: dict, article: Article, gold: Gold | None):
        self.info, self.article, self.body, self.gold = info, article, article.body, gold
        preds = graph.preds.get(info["node"], [])
        self.claims = sorted((p for p in preds if p.kind == "claim"), key=lambda p: p.span)
        self.forecasts = sorted((p for p in preds if p.kind == "forecast"), key=lambda p: p.span)
        self.mentions = sorted((p for p in preds if p.kind == "mention"), key=lambda p: p.span)
        self.claim_match: dict[int, int] = {}
        if gold is not None:
            self.gold_claims = [self.locate(c.quote) for c in gold.claims]
            self.claim_match = _match(self.gold_claims, [p.span for p in self.claims])

    def locate(self, quote: str, gold: Gold | None = None) -> tuple[int, int]:
        return locate(self.body, quote, gold or self.gold or "<gold>", self.article.file)

    def resolve(self, quote: str, gold: Gold | None = None) -> URIRef | None:
        """The claim node a gold quote maps to: its matched appearance, else the best overlap."""
        if self.gold is not None:
            for i, claim in enumerate(self.gold.claims):
                if claim.quote == quote:
                    j = self.claim_match.get(i)
                    return None if j is None else self.claims[j].node
        span = self.locate(quote, gold)
        best = max(self.claims, key=lambda p: spans_overlap(span, p.span), default=None)
        return best.node if best is not None and spans_overlap(span, best.span) else None


def _entities(graph: _Graph, art: _Article, regions) -> dict:
    gold = art.gold.entities
    gold_names = [{fold_label(n) for n in (g.name, *g.aliases)} for g in gold]
    mentioned = {m.node for m in art.mentions}
    on_topic = {m.node for m in art.mentions if not _inside(m.span, regions)}

    def hits(e, typed):
        return [i for i, names in enumerate(gold_names)
                if graph.entities[e][1] & names and (not typed or graph.entities[e][2] == gold[i].type)]

    found = {typed: set().union(*[hits(e, typed) for e in mentioned]) for typed in (False, True)}
    out = {("typed" if typed else "untyped"): _prf(len(found[typed]), len(gold),
                                                   sum(1 for e in on_topic if hits(e, typed)), len(on_topic))
           for typed in (False, True)}
    missed = [g.name for i, g in enumerate(gold) if i not in found[False]]
    wrong_type = [{"name": gold[i].name, "gold_type": gold[i].type,
                   "predicted_types": sorted({graph.entities[e][2] for e in mentioned if i in hits(e, False)})}
                  for i in sorted(found[False] - found[True])]
    false_pos = sorted(graph.entities[e][0] for e in on_topic if not hits(e, False))
    return {**out, "missed": missed, "false_positives": false_pos, "wrong_type": wrong_type}


def _claims(art: _Article) -> dict:
    gold = art.gold
    pool = sorted(set(art.gold_claims) | {art.locate(f.quote) for f in gold.forecasts})
    used = set(_match(pool, [p.span for p in art.claims]).values())
    pairs = [(gold.claims[i], art.claims[j]) for i, j in art.claim_match.items()]
    camp = [g.camp == p.camp for g, p in pairs if g.camp]
    key = [g.key == p.key for g, p in pairs]
    return {**_prf(len(pairs), len(gold.claims), len(used), len(art.claims)),
            "camp": _acc(sum(camp), len(camp)), "key": _acc(sum(key), len(key)),
            "unmatched_gold": [c.quote for i, c in enumerate(gold.claims) if i not in art.claim_match],
            "unmatched_predicted": [art.body[slice(*p.span)] for j, p in enumerate(art.claims) if j not in used]}


def _forecasts(graph: _Graph, art: _Article) -> dict:
    gold = art.gold.forecasts
    match = _match([art.locate(f.quote) for f in gold], [p.span for p in art.forecasts])
    pairs = [(gold[i], graph.forecasts.get(art.forecasts[j].node, (None, None, (None, None))))
             for i, j in match.items()]
    camp = [g.camp == p[0] for g, p in pairs if g.camp]
    conf = [g.confidence == p[1] for g, p in pairs if g.confidence]
    stated = [tuple(g.horizon) == p[2] for g, p in pairs if g.horizon is not None]
    unstated = [p[2] == (None, None) for g, p in pairs if g.horizon is None]
    used = set(match.values())
    return {**_prf(len(match), len(gold), len(match), len(art.forecasts)),
            "camp": _acc(sum(camp), len(camp)), "confidence": _acc(sum(conf), len(conf)),
            "horizon_stated": _acc(sum(stated), len(stated)), "horizon_unstated": _acc(sum(unstated), len(unstated)),
            "unmatched_gold": [f.quote for i, f in enumerate(gold) if i not in match],
            "unmatched_predicted": [art.body[slice(*p.span)] for j, p in enumerate(art.forecasts) if j not in used]}


def _has(relations: set, kind: str, a, b) -> bool:
    return (kind, a, b) in relations or (kind == "contrasts" and (kind, b, a) in relations)


def _relations(graph: _Graph, art: _Article) -> dict:
    resolved = [(r, art.resolve(r.source), art.resolve(r.target)) for r in art.gold.relations]
    found = [(r.type, a, b) for r, a, b in resolved if a is not None and b is not None and a != b
             and _has(graph.relations, r.type, a, b)]
    nodes = {p.node for p in art.claims}
    predicted = {(k, s, t) for k, s, t in graph.relations if k in ("supports", "contrasts") and s in nodes and t in nodes}
    gold_set = {(r.type, a, b) for r, a, b in resolved}
    correct = sum(1 for k, s, t in predicted if _has(gold_set, k, s, t))
    missed = [{"from": r.source, "to": r.target, "type": r.type} for r, a, b in resolved
              if (r.type, a, b) not in found]
    return {**_prf(len(found), len(resolved), correct, len(predicted)), "missed": missed}


def _offtopic(art: _Article, regions) -> dict:
    items = [{"kind": p.kind, "start": p.span[0], "end": p.span[1], "text": art.body[slice(*p.span)]}
             for p in art.claims + art.forecasts + art.mentions if _inside(p.span, regions)]
    return {"count": len(items), "items": sorted(items, key=lambda x: (x["start"], x["end"], x["kind"]))}


# ------------------------------------------------------------------ the corpus

def _find(graph: _Graph, file: str, title: str = "", date=None) -> tuple[dict | None, str]:
    by_file = [a for a in graph.articles if file and file_stem(a["file"]) == file_stem(file)]
    if len(by_file) == 1:
        return by_file[0], "file"
    by_title = [a for a in graph.articles if title and a["title"].strip() == title.strip() and a["date"] == date]
    return (by_title[0], "title+date") if len(by_title) == 1 else (None, "")


def evaluate(dataset: Dataset, articles: list[Article], gold_dir: Path) -> dict:
    """Score ``dataset`` against every ``*.gold.yaml`` in ``gold_dir``; return the report (see module doc)."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise GoldError(f"gold folder {gold_dir} does not exist (use --gold DIR)")
    paths = sorted(gold_dir.glob("*.gold.yaml"))
    if not paths:
        raise GoldError(f"no *.gold.yaml files in {gold_dir}")
    golds, problems = [], []
    for path in paths:  # one bad file is reported and skipped; the rest are scored
        try:
            golds.append(load_gold(path))
        except GoldError as exc:
            problems.append(str(exc))
    graph = _Graph(dataset)
    by_id = {a.id: a for a in articles}
    by_stem = {file_stem(a.file): a for a in articles}
    warnings: list[str] = []
    contexts: dict[URIRef, _Article] = {}

    def context(info: dict, gold: Gold | None, where: str) -> _Article | None:
        if info["node"] not in contexts:
            article = by_id.get(info["id"]) or by_stem.get(file_stem(info["file"]))
            if article is None:
                warnings.append(f"{where}: article {info['file'] or info['id']} is in the graph "
                                "but not in the corpus folder: skipped")
                return None
            if info["hash"] and info["hash"] != article.content_hash:
                warnings.append(f"{where}: {article.file} changed since the graph was built: run 'argmap build'")
            contexts[info["node"]] = _Article(graph, info, article, gold)
        return contexts[info["node"]]

    scored = []
    for gold in golds:
        info, how = _find(graph, gold.file, gold.title, gold.date)
        if info is None:
            warnings.append(f"{gold.name}: article {gold.file or gold.title!r} is not in the graph: skipped")
        elif info["node"] in contexts:
            warnings.append(f"{gold.name}: article {info['file']} already has a gold file: skipped")
        else:
            try:
                art = context(info, gold, gold.name)
            except GoldError as exc:  # its quotes are not in the article: reported, not scored
                problems.append(str(exc))
                continue
            if art is not None:
                scored.append((gold, how, art))
    reports = []
    for gold, how, art in scored:
        try:
            regions = offtopic_regions(art.body, gold)
            reports.append({"gold": gold.name, "article": art.article.id, "file": art.article.file,
                            "matched_by": how, "entities": _entities(graph, art, regions), "claims": _claims(art),
                            "forecasts": _forecasts(graph, art), "relations": _relations(graph, art),
                            "duplicates": _duplicates(graph, art, context, warnings),
                            "offtopic": _offtopic(art, regions)})
        except GoldError as exc:  # e.g. a quote that is not in the article: this file is not scored
            problems.append(str(exc))
    if problems and not reports:
        raise GoldError(problems[0] + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
    overall = _overall(reports)
    overall["duplicates"]["restates"] = _restates_precision(graph, [art for _, _, art in scored], reports)
    return {"version": REPORT_VERSION, "gold_dir": str(gold_dir), "problems": problems,
            "warnings": list(dict.fromkeys(warnings)), "articles": reports, "overall": overall}


def _duplicates(graph: _Graph, art: _Article, context, warnings: list[str]) -> dict:
    resolved, unresolved, skipped, pairs = 0, [], 0, []
    for dup in art.gold.duplicates:
        info, _ = _find(graph, dup.other_file)
        if info is None:
            warnings.append(f"{art.gold.name}: duplicates name {dup.other_file}, which is not in the graph: skipped")
        other = context(info, None, art.gold.name) if info is not None else None
        if other is None:
            skipped += 1
            continue
        a, b = art.resolve(dup.quote), other.resolve(dup.other_quote, art.gold)
        if a is not None and b is not None and a != b:
            pairs.append(sorted((str(a), str(b))))
        if a is not None and b is not None and (a == b or frozenset((a, b)) in graph.restates):
            resolved += 1
        else:
            unresolved.append({"quote": dup.quote, "other_file": dup.other_file, "other_quote": dup.other_quote})
    total = resolved + len(unresolved)
    return {"resolved": resolved, "total": total, "rate": _ratio(resolved, total), "skipped": skipped,
            "unresolved": unresolved, "pairs": pairs}


def _restates_precision(graph: _Graph, arts: list[_Article], reports: list[dict]) -> dict:
    """Restates pairs with an end among the scored articles' claims that join the two ends
    of a gold duplicate, out of all such pairs (a pair between two articles without gold
    cannot be judged)."""
    nodes = {p.node for art in arts for p in art.claims}
    predicted = {pair for pair in graph.restates if len(pair) == 2 and pair & nodes}
    gold = {frozenset(URIRef(n) for n in pair) for r in reports for pair in r["duplicates"]["pairs"]}
    right = len(predicted & gold)
    return {"precision": _ratio(right, len(predicted)), "correct": right, "predicted": len(predicted)}


def _overall(reports: list[dict]) -> dict:
    def prf(section: str, sub: str | None = None) -> dict:
        rows = [r[section][sub] if sub else r[section] for r in reports]
        return _prf(*(sum(x[k] for x in rows) for k in ("found", "gold", "correct", "predicted")))

    def acc(section: str, sub: str) -> dict:
        return _acc(*(sum(r[section][sub][k] for r in reports) for k in ("correct", "total")))

    dup = [sum(r["duplicates"][k] for r in reports) for k in ("resolved", "total", "skipped")]
    return {"articles": len(reports),
            "entities": {"untyped": prf("entities", "untyped"), "typed": prf("entities", "typed")},
            "claims": {**prf("claims"), "camp": acc("claims", "camp"), "key": acc("claims", "key")},
            "forecasts": {**prf("forecasts"), **{k: acc("forecasts", k) for k in
                                                  ("camp", "confidence", "horizon_stated", "horizon_unstated")}},
            "relations": prf("relations"),
            "duplicates": {"resolved": dup[0], "total": dup[1], "rate": _ratio(dup[0], dup[1]), "skipped": dup[2]},
            "offtopic": {"count": sum(r["offtopic"]["count"] for r in reports)}}


# ------------------------------------------------------------------ rendering

def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _block(title: str, section: dict) -> list[str]:
    rows = [("entities", section["entities"]["untyped"]), ("entities typed", section["entities"]["typed"]),
            ("claims", section["claims"]), ("forecasts", section["forecasts"]), ("relations", section["relations"])]
    lines = [title, f"{'section':<16}{'P':>7}{'R':>7}{'F':>7}{'gold':>7}{'found':>7}{'pred':>7}{'correct':>8}"]
    lines += [f"{name:<16}{_num(s['precision']):>7}{_num(s['recall']):>7}{_num(s['f1']):>7}"
              f"{s['gold']:>7}{s['found']:>7}{s['predicted']:>7}{s['correct']:>8}" for name, s in rows]
    accs = [("claim camp", section["claims"]["camp"]), ("claim key", section["claims"]["key"]),
            ("forecast camp", section["forecasts"]["camp"]), ("confidence", section["forecasts"]["confidence"]),
            ("horizon (stated)", section["forecasts"]["horizon_stated"]),
            ("horizon (no time)", section["forecasts"]["horizon_unstated"])]
    lines += [f"{name:<18}{_num(a['accuracy']):>7}  ({a['correct']}/{a['total']})" for name, a in accs]
    d = section["duplicates"]
    lines.append(f"{'duplicates':<18}{_num(d['rate']):>7}  ({d['resolved']}/{d['total']} resolved"
                 + (f", {d['skipped']} skipped)" if d["skipped"] else ")"))
    if "restates" in d:
        r = d["restates"]
        lines.append(f"{'restates precision':<18}{_num(r['precision']):>7}  ({r['correct']}/{r['predicted']} "
                     "pairs join a gold duplicate)")
    lines.append(f"{'off-topic items':<18}{section['offtopic']['count']:>7}  (target 0)")
    return lines


def render_table(report: dict) -> str:
    """The report as aligned text: one block per article, then the micro-averaged total.

    Warnings are left to the caller (the CLI prints them on stderr).

    >>> print(render_table({"articles": [], "overall": _overall([])}).splitlines()[0])
    overall (0 articles, micro-averaged)
    """
    out = []
    for art in report["articles"]:
        out += _block(f"{art['article']} ({art['gold']}, matched by {art['matched_by']})", art)
        ents = art["entities"]
        out.append("missed entities: " + (", ".join(ents["missed"]) or "none"))
        out.append("false-positive entities: " + (", ".join(ents["false_positives"]) or "none"))
        if ents["wrong_type"]:
            out.append("wrong type: " + ", ".join(f"{w['name']} ({'/'.join(w['predicted_types'])} "
                                                  f"for {w['gold_type']})" for w in ents["wrong_type"]))
        out.append("")
    overall = report["overall"]
    out += _block(f"overall ({overall['articles']} articles, micro-averaged)", overall)
    return "\n".join(out) + "\n"
