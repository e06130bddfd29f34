"""The failure classes seen on every unseen article, each on a small hand-written text
(real spaCy pipeline, deciding by the rules unless a test says otherwise)."""

from __future__ import annotations

import datetime as dt

import pytest

from argmap.extract import extract_one, load_pipeline
from argmap.markup import block_kind, display_text
from argmap.model import Article


@pytest.fixture(scope="module")
def rules_nlp():
    return load_pipeline(decider="rules")


def _article(body: str) -> Article:
    return Article("t", "A test article", body, "t.md", dt.date(2026, 6, 1))


def _claims(nlp, body: str) -> list[str]:
    return [c.span.quote for c in extract_one(_article(body), nlp).claims]


def test_a_line_cut_around_a_link_is_one_sentence_with_exact_offsets(rules_nlp):
    body = ("Proprietary labs keep their newest models behind a rate-limited API, as the\n"
            "pricing page\nshows, and open-weight builders cannot match that margin.\n")
    extraction = extract_one(_article(body), rules_nlp)
    assert extraction.claims, "the joined sentence should be a claim"
    for claim in extraction.claims:
        assert body[claim.span.start:claim.span.end] == claim.span.quote
    assert any("pricing page\nshows" in c.span.quote for c in extraction.claims)
    assert not any(c.span.quote.startswith("pricing page") for c in extraction.claims)


def test_a_hard_line_break_still_ends_a_sentence(rules_nlp):
    body = "# Open models and their margins\n\nOpen-weight models will cut API prices for every lab.\n"
    claims = _claims(rules_nlp, body)
    assert claims == ["Open-weight models will cut API prices for every lab."]


def test_markdown_stays_in_the_quote_and_leaves_the_display_text():
    quote = r"Meta [released Llama 3](https://ai.meta.com/blog/) at \$3 per `M` tokens, a *real* cut."
    assert display_text(quote) == "Meta released Llama 3 at $3 per M tokens, a real cut."


def test_the_graph_shows_the_display_text_and_keeps_the_exact_quote(rules_nlp):
    from argmap.graph import to_dataset
    from argmap.link import link
    from argmap.vocab import OA, SCHEMA

    body = ("Open-weight models from [Mistral](https://mistral.ai/) will undercut the closed labs "
            "on **price** within two years.\n")
    dataset = to_dataset(link([extract_one(_article(body), rules_nlp)]), "test")
    texts = {str(o) for o in dataset.objects(None, SCHEMA.text)}
    exacts = {str(o) for o in dataset.objects(None, OA.exact)}
    assert any("from Mistral will undercut" in t and "**" not in t for t in texts)
    assert any("[Mistral](https://mistral.ai/)" in e for e in exacts)


def test_blockquotes_are_not_the_authors_claims(rules_nlp):
    body = ("The closed labs are losing their pricing power to open-weight rivals.\n\n"
            "> Proprietary models will always stay two years ahead of open ones, the vendor said.\n")
    claims = _claims(rules_nlp, body)
    assert not any("two years ahead" in c for c in claims)
    assert any("pricing power" in c for c in claims)


@pytest.mark.parametrize("line, kind", [
    ("## Why open models win", "heading"),
    ("The economics of open weights", "heading"),
    ("**Why did the API price fall so fast?**", "question"),
    ("> A quoted paragraph from someone else.", "quote"),
    ("- a bullet about open models", "list"),
    ("Open models will win on price because serving is a commodity.", "body"),
])
def test_block_kinds(line, kind):
    assert block_kind(line) == kind


def test_headings_signposting_and_topic_questions_are_not_claims(rules_nlp):
    body = ("## Open-weight models are catching up with the closed labs\n\n"
            "**Will open models capture the value of AI?**\n\n"
            "We'll get to the pricing question later in this post.\n\n"
            "Let's dig into what the open-weight release means for API margins.\n\n"
            "Open-weight releases push API margins of the frontier labs down every quarter.\n")
    extraction = extract_one(_article(body), rules_nlp)
    assert [c.span.quote for c in extraction.claims] == [
        "Open-weight releases push API margins of the frontier labs down every quarter."]
    assert not any("We'll get to" in f.span.quote for f in extraction.forecasts)


def test_housekeeping_of_any_site_is_off_topic(rules_nlp):
    body = ("Open-weight models will keep pushing API prices of the closed labs down.\n\n"
            "Audio of this post is available in podcast form on every major app.\n\n"
            "The Example Institute is hiring across multiple research roles in Berlin.\n\n"
            "These are Sam's weekly notes on the economics of open and closed AI models.\n")
    extraction = extract_one(_article(body), rules_nlp)
    assert [c.span.quote for c in extraction.claims] == [
        "Open-weight models will keep pushing API prices of the closed labs down."]
    assert not any(m.span.start > body.index("Audio") for m in extraction.mentions)
