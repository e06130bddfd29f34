"""The incremental link state (argmap.link.state) equals argmap.link.link after any
sequence of articles going out and coming in.  Extractions are made by hand (no
spaCy) from a small vocabulary, so claims score above the threshold often, repeat
word for word across articles and share entities: the partner choice is busy."""

from __future__ import annotations

import dataclasses
import random

import pytest

from argmap.link import rules as link_module
from argmap.link import state as linkstate
from argmap.workspace import statedb
from argmap.link import link
from argmap.workspace.linksfile import link_items
from argmap.model import Article, Claim, Entity, Extraction, Mention, Span

WORDS = ("open closed models labs frontier cheap pricing enterprise weights compute agents market "
         "parity lead safety regulation data chips").split()
ENTITIES = [Entity("openai", "OpenAI", "Organization", ("Open AI",)), Entity("llama", "Llama", "Product"),
            Entity("open-models", "open models", "Concept"), Entity("meta", "Meta", "Organization"),
            Entity("meta", "Meta Platforms", "Organization", ("Meta",), source="ner"),
            Entity("gpus", "GPUs", "Product", source="ner"), Entity("gpus", "GPU", "Concept", source="pattern")]


def _article(rng: random.Random, n: int, shared: list[str], versions: bool = False) -> Extraction:
    sentences = []
    for _ in range(rng.randint(1, 7)):
        if shared and rng.random() < 0.25:
            sentences.append(rng.choice(shared))  # said word for word elsewhere too
        else:
            sentences.append(" ".join(rng.choices(WORDS, k=rng.randint(3, 7))).capitalize() + ".")
    body = " ".join(sentences)
    claims, mentions, at = [], [], 0
    for sentence in sentences:
        start = body.index(sentence, at)
        at = start + len(sentence)
        ents = tuple(sorted({e.key for e in rng.sample(ENTITIES, rng.randint(0, 2))}))
        claims.append(Claim(Span.of(body, start, at), rng.choice(["open", "closed", "both"]),
                            rng.choice([0.5, 0.6, 0.9]), key=rng.random() < 0.2, entities=ents))
        for entity in rng.sample(ENTITIES, rng.randint(0, 3)):
            mentions.append(Mention(Span.of(body, start, start + 3), entity))
    shared.extend(sentences[:2])
    # With ``versions``, articles share titles: versions of one text, aligned claim by claim.
    article = Article(f"a{n:02d}", f"Article {n % 3 if versions else n}", body, f"a{n:02d}.md")
    return Extraction(article, mentions=tuple(mentions), claims=tuple(claims))


@pytest.fixture()
def conn(tmp_path):
    db = statedb.connect(tmp_path / "state.sqlite")
    db.execute("BEGIN")
    statedb.reset(db)
    yield db
    db.execute("ROLLBACK")
    db.close()


@pytest.mark.parametrize("caps, versions", [((2, 6), False), ((1, 2), False), ((3, 1), False), ((2, 6), True)])
def test_any_sequence_of_changes_links_like_a_link_from_scratch(conn, monkeypatch, caps, versions):
    monkeypatch.setattr(link_module, "RESTATES_PER_ARTICLE", caps[0])
    monkeypatch.setattr(link_module, "RESTATES_PER_CLAIM", caps[1])
    monkeypatch.setattr(link_module, "RESTATE_THRESHOLD", 45.0)
    monkeypatch.setattr(link_module, "ALIGN_THRESHOLD", 40.0)
    rng = random.Random(sum(caps) + versions)
    shared: list[str] = []
    pool = [_article(rng, n, shared, versions) for n in range(14)]
    aligned_pairs = 0
    current: dict[str, Extraction] = {}
    before: set[str] = set()
    changed_restatements = 0
    for step in range(36):
        out, come = [], []
        if current and rng.random() < 0.35:
            out = rng.sample(sorted(current), rng.randint(1, min(2, len(current))))
        elif current and rng.random() < 0.3:  # a new version of an article: out and in at once
            old = current[rng.choice(sorted(current))]
            claims = old.claims[1:] + tuple(dataclasses.replace(c, camp="open") for c in old.claims[:1])
            out, come = [old.article.id], [dataclasses.replace(old, claims=claims)]
        else:
            come = rng.sample([e for e in pool if e.article.id not in current] or pool[:1], 1)
            out = [e.article.id for e in come if e.article.id in current]
        for article_id in out:
            del current[article_id]
        for extraction in come:
            current[extraction.article.id] = extraction
        delta = linkstate.apply(conn, out, [(e, f"key-{step}") for e in come])
        expected = link_items(link(list(current.values())))
        assert linkstate.all_items(conn) == expected, step
        assert (delta.removed, delta.added) == (before - expected, expected - before), step
        assert linkstate.totals(conn)["restatements"] == sum(1 for i in expected if i.startswith('["r"'))
        changed_restatements += sum(1 for i in delta.removed | delta.added if i.startswith('["r"'))
        aligned_pairs += conn.execute("SELECT count(*) FROM aligned").fetchone()[0]
        before = expected
    assert changed_restatements > 50  # the sequence did exercise the partner choice
    assert (aligned_pairs > 20) == versions  # ... and, with versions of one text, the alignment
