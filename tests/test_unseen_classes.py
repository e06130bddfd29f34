"""The failure classes seen on every unseen article, each on a small hand-written text
(real spaCy pipeline, deciding by the rules unless a test says otherwise)."""

from __future__ import annotations

import datetime as dt

import pytest

from argmap.extract import extract_one, load_pipeline
from argmap.corpus import block_kind, display_text
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
    from argmap.graph import OA, SCHEMA

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


def test_a_very_short_sentence_or_one_that_cites_a_link_is_background_not_a_claim(rules_nlp):
    body = ("Closed labs keep their best models behind rate-limited APIs to protect their margins.\n\n"
            "Open models win on price.\n\n"
            "Meta [released Llama 3](https://ai.meta.com/) as open weights that rival closed models.\n")
    assert _claims(rules_nlp, body) == [
        "Closed labs keep their best models behind rate-limited APIs to protect their margins."]


def _camp_of(nlp, body: str, start: str) -> str:
    return next(c.camp for c in extract_one(_article(body), nlp).claims if c.span.quote.startswith(start))


NO_CUE = "Prices for every kind of model will fall by half within two years.\n"


def test_a_claim_without_a_cue_takes_the_camp_of_a_one_sided_article_only(rules_nlp):
    one_sided = ("Closed labs keep their best models behind rate-limited APIs to protect their margins.\n\n"
                 "Proprietary frontier models will stay ahead of everything else on hard reasoning tasks.\n\n"
                 + NO_CUE)
    mixed = ("Closed labs keep their best models behind rate-limited APIs to protect their margins.\n\n"
             "Open-weight models will catch up with them on every benchmark that matters to buyers.\n\n"
             + NO_CUE)
    assert _camp_of(rules_nlp, one_sided, "Prices for every") == "closed"
    assert _camp_of(rules_nlp, mixed, "Prices for every") == "both"


def test_markup_never_reaches_an_entity_and_versioned_names_are_products(rules_nlp):
    """Issue 12: link targets, code spans and escapes stay out of entity names (offsets stay
    exact), and names with a version (DeepSeek-R1-Zero, GPT-4o) are products."""
    body = ("The [hosting companies](https://example.com/hosts) rent out Nvidia chips, and "
            "Acme said DeepSeek-`R1`\\-Zero was trained on ~10K H100s, as [Jane Smith](https://example.com/js) "
            "wrote. Kimi K3 beats GPT-4o on price, and the open labs will catch up with it.\n")
    mentions = extract_one(_article(body), rules_nlp).mentions
    for m in mentions:
        assert body[m.span.start:m.span.end] == m.span.quote
        assert "](" not in m.entity.label and "http" not in m.entity.label and "`" not in m.entity.label
    types = {m.entity.label: m.entity.type for m in mentions}
    assert types.get("DeepSeek-R1-Zero") == "Product"  # spaCy's NER says Person
    assert types.get("GPT-4o") == "Product"
    assert "hosting companies" not in types and not any(label.startswith("example.com") for label in types)


def test_a_recurring_noun_phrase_is_discovered_as_a_concept(rules_nlp):
    """Issue 12: concepts beyond the gazetteer. A two-word phrase the article keeps using is a
    Concept with a mention at each use; a generic head ("many people") is not."""
    body = ("Synthetic data lets small labs train strong models without scraping the web.\n\n"
            "Many people think the closed labs will stop sharing outputs, but synthetic data keeps flowing.\n\n"
            "Regulators may soon restrict synthetic data, and many people would cheer.\n")
    mentions = extract_one(_article(body), rules_nlp).mentions
    concept = [m for m in mentions if m.entity.label == "synthetic data"]
    assert len(concept) == 3 and {m.entity.type for m in concept} == {"Concept"}
    assert all(body[m.span.start:m.span.end].lower() == "synthetic data" for m in concept)
    assert not any(m.entity.label == "many people" for m in mentions)
