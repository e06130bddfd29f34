"""The failure classes seen on every unseen article, each on a small hand-written text
(real spaCy pipeline, deciding by the rules unless a test says otherwise)."""

from __future__ import annotations

import datetime as dt

import pytest

from argmap.extract import extract_one
from argmap.corpus import block_kind, display_text
from argmap.model import Article


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
            "The Example Institute is hiring across multiple research roles in Berlin. The research lead "
            "will shape the institute's work on open models and advise regulators on frontier labs.\n\n"
            "These are Sam's weekly notes on the economics of open and closed AI models.\n\n"
            "## Related content\n\n"
            "### Why the closed labs will keep their margins on coding agents for years\n\n"
            "Read more: Open-weight models are now good enough for most enterprise workloads.\n")
    extraction = extract_one(_article(body), rules_nlp)
    assert [c.span.quote for c in extraction.claims] == [
        "Open-weight models will keep pushing API prices of the closed labs down."]
    assert not any(m.span.start > body.index("Audio") for m in extraction.mentions)
    assert not any(f.span.start > body.index("Audio") for f in extraction.forecasts)


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


def _horizons(nlp, body: str) -> dict[str, tuple]:
    return {f.span.quote.split()[0]: (f.horizon_start, f.horizon_end)
            for f in extract_one(_article(body), nlp).forecasts}


def test_a_lead_in_with_a_time_scopes_the_list_after_it(rules_nlp):
    body = ("I expect the market to change in two ways within three years, and neither favours the labs:\n\n"
            "  * Frontier labs will lose their pricing power to cheaper open models.\n\n"
            "  * Startups will finetune open models instead of paying for closed APIs.\n\n"
            "Regulators will keep arguing about licences for a long time after that.\n")
    found = _horizons(rules_nlp, body)
    assert found["Frontier"] == found["Startups"] == (2026, 2029)
    assert found["Regulators"] == (None, None)  # past the list, the lead-in no longer scopes


def test_a_time_that_opens_a_sentence_carries_to_the_sentences_that_refer_back(rules_nlp):
    body = ("At the end of 2027, the lab will release a family of open-weight models for developers. "
            "Part of this family will be licensed for commercial use by large enterprises. "
            "Closed labs will answer with lower prices for their premium models eventually.\n")
    found = _horizons(rules_nlp, body)
    assert found["At"] == found["Part"] == (2027, 2027)
    assert found["Closed"] == (None, None)  # no reference back: the time does not carry


@pytest.mark.parametrize("not_forecasts, forecast", [
    # "can" states what is possible now, never a forecast (GUIDELINES rule 6).
    (["Plotting price against latency, we can see that the open models are the cheapest to serve.",
      "Prices of hosted open models can fall sharply when a new lab enters the market."],
     "Prices of hosted open models could fall sharply once the new labs enter the market."),
    # A future seen from the past predicts nothing now.
    (["Being first to a frontier model was never going to matter much for the labs in the long run.",
      "The labs underestimated the demand for open models they were going to get last year."],
     "Being first to a frontier model is going to matter much less for the labs in the long run."),
])
def test_sentences_that_look_like_forecasts_but_are_none(rules_nlp, not_forecasts, forecast):
    body = " ".join([*not_forecasts, forecast]) + "\n"
    assert [f.span.quote for f in extract_one(_article(body), rules_nlp).forecasts] == [forecast]


def _confidences(nlp, body: str) -> dict[str, str]:
    return {f.span.quote.split()[0]: f.confidence for f in extract_one(_article(body), nlp).forecasts}


def test_a_hedge_in_a_condition_question_or_comparison_does_not_hedge_the_prediction(rules_nlp):
    body = ("If the labs predict what demand is going to be, they'll be profitable every single year. "
            "Cheap open models will shape the debate on how the closed labs should price their APIs. "
            "Open models will spread much faster than I think most analysts at the big banks expect. "
            "I think open models will spread faster than closed models across the enterprise market.\n")
    found = _confidences(rules_nlp, body)
    assert (found["If"], found["Cheap"], found["Open"]) == ("certain", "certain", "certain")
    assert found["I"] == "likely"  # the hedge of the clause that carries the prediction


def test_a_hedged_lead_in_hedges_the_list_after_it(rules_nlp):
    body = ("I suspect that the market for frontier models will change in two ways, and both hurt the labs:\n\n"
            "  * Open models will match the closed frontier on most coding benchmarks.\n\n"
            "  * Prices of the closed APIs might fall by half once open models match them.\n\n"
            "Closed labs will keep their lead in the consumer market for a few more years.\n")
    found = _confidences(rules_nlp, body)
    assert (found["Open"], found["Prices"]) == ("likely", "possible")  # its own hedge wins when it has one
    assert found["Closed"] == "certain"  # past the list


def test_versions_after_a_letter_chips_and_models_named_by_their_version_are_products(rules_nlp):
    body = ("DeepSeek-R1 beat o1 and o3-mini on most benchmarks while it was trained on H800 chips, "
            "and Kimi K2 followed a month later.\n")
    found = {m.span.quote: m.entity.type for m in extract_one(_article(body), rules_nlp).mentions}
    assert {q: found.get(q) for q in ("DeepSeek-R1", "o1", "o3-mini", "H800", "Kimi K2")} == dict.fromkeys(
        ("DeepSeek-R1", "o1", "o3-mini", "H800", "Kimi K2"), "Product")


def test_a_noun_only_concept_is_no_mention_as_a_verb(rules_nlp):
    body = "Spending on compute keeps rising as the labs compute ever larger training runs on open models.\n"
    starts = [m.span.start for m in extract_one(_article(body), rules_nlp).mentions if m.entity.label == "compute"]
    assert starts == [body.index("compute")]


def test_names_joined_by_and_or_a_slash_are_separate_entities_with_exact_offsets():
    from argmap.extract.entities import _coordinated_names
    text = "Clouds like Lambda and Nebius, tools like Figma/Photoshop, and Procter & Gamble or Johnson and Johnson."
    def names(phrase):
        start = text.index(phrase)
        return [text[a:b] for a, b in _coordinated_names(text, start, start + len(phrase))]
    assert names("Lambda and Nebius") == ["Lambda", "Nebius"]
    assert names("Figma/Photoshop") == ["Figma", "Photoshop"]
    assert names("Procter & Gamble") == ["Procter & Gamble"]
    assert names("Johnson and Johnson") == ["Johnson and Johnson"]


def test_a_capitalised_word_the_article_also_writes_in_lower_case_is_no_name(rules_nlp):
    def labels(body):
        return {m.entity.label for m in extract_one(_article(body), rules_nlp).mentions}
    claim = "Software margins of the closed labs are high, and "
    assert "Software" not in labels(claim + "software firms built on open models know it.\n")
    # A lower-case URL is no use of the word.
    assert "Software" in labels(claim + "[firms](https://example.com/software) built on open models know it.\n")


def test_a_name_loses_its_article_count_and_possessive_anywhere_in_the_text(rules_nlp):
    body = ("Open models keep getting cheaper to serve for every enterprise that runs them. " * 3
            + "The lab trained on ~10K A100 GPUs, and it follows the European Union’s rules while "
              "Huawei’s Ascend chips wait.\n")
    labels = {m.entity.label for m in extract_one(_article(body), rules_nlp).mentions}
    assert {"A100", "European Union", "Huawei", "Ascend"} <= labels
    assert not any(label.startswith(("K ", "the ")) or label.endswith("’s") for label in labels)


def test_should_with_an_event_is_a_likely_forecast_and_a_duty_is_none(rules_nlp):
    body = ("Margins of the hosted open models should improve as competition among the clouds grows. "
            "Regulators should ban the export of frontier model weights to rival nations.\n")
    forecasts = {f.span.quote.split()[0]: f.confidence for f in extract_one(_article(body), rules_nlp).forecasts}
    assert forecasts == {"Margins": "likely"}


def test_a_transcript_turn_opened_by_a_timestamp_is_no_page_chrome(rules_nlp):
    body = ("Jan 5 · 6 min read\n\n"
            "**20:56** · I think the closed labs will keep their margins on coding agents for years. "
            "Open models will still win most enterprise workloads on price.\n\n"
            "**21:05** · The open-weight labs will close the gap with the frontier within a year.\n")
    extraction = extract_one(_article(body), rules_nlp)
    claims = [c.span.quote for c in extraction.claims]
    assert any("closed labs will keep their margins" in q for q in claims)
    assert any("open-weight labs will close the gap" in q for q in claims)
    assert any(o.span.quote.startswith("Jan 5") for o in extraction.offtopic)  # a byline stays chrome


def test_a_time_that_opens_a_sentence_scopes_its_later_clauses(rules_nlp):
    body = ("By 2029, open models will match the frontier on coding, but the closed labs will still "
            "charge a premium for their agents.\n")
    spans = {(f.span.quote.split()[0], f.horizon_start, f.horizon_end) for f in extract_one(_article(body), rules_nlp).forecasts}
    assert len(spans) == 2 and {(s, e) for _, s, e in spans} == {(2026, 2029)}


def test_a_division_is_an_entity_of_its_own_not_an_alias_of_its_parent(rules_nlp):
    body = "Amazon rents open models on AWS, and Meta AI ships the Llama models that Meta trains.\n"
    labels = {m.span.quote: m.entity.label for m in extract_one(_article(body), rules_nlp).mentions}
    assert labels["Amazon"] == "Amazon" and labels["AWS"] == "Amazon Web Services"
    assert labels["Meta AI"] == "Meta AI" and labels["Meta"] == "Meta"
