"""The extract stage on small texts (real spaCy pipeline) and its pure helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from argmap.extract import extract_one
from argmap.extract.camps import classify_camp
from argmap.extract.horizon import find_horizon
from argmap.extract.quantities import find_quantities
from argmap.extract.segment import paragraphs, seams
from argmap.model import Article


def article(body: str, date=dt.date(2026, 6, 1), title="A test article") -> Article:
    return Article("t", title, body, "t.md", date)


@pytest.mark.parametrize("phrase, expected", [
    ("in 5-10 years", (2031, 2036)),
    ("clearly visible in 5-10 year timelines", (2031, 2036)),
    ("printing money in five years", (2031, 2031)),
    ("by 2030", (2026, 2030)),
    ("within a decade", (2026, 2036)),
    ("over the next three years", (2026, 2029)),
    ("in 2029", (2029, 2029)),
    ("by the end of the decade", (2026, 2029)),
    ("in 2027-2028 the market could split in two", (2027, 2028)),
    ("prices fall in 2027–28", (2027, 2028)),
    ("between 2026 and 2030", (2026, 2030)),
    ("later this year", (2026, 2026)),
    ("next year", (2027, 2027)),
    ("by mid-2028", (2026, 2028)),
    ("in a year or two", (2027, 2028)),
    ("at the end of 2026 we will train", (2026, 2026)),
    ("during Q1-Q2 2027", (2027, 2027)),
    ("within a few months", (2026, 2026)),
    ("over the next decade open models win", (2026, 2036)),
    ("in the coming 18 months open models win", (2026, 2027)),
    ("over the next 12-18 months open models win", (2026, 2027)),
    ("in the 2030s open models win", (2030, 2039)),
    ("by the 2030s open models win", (2026, 2030)),
    ("in the next couple of years open models win", (2026, 2028)),
    ("in the next year or two open models win", (2026, 2028)),
    ("the next five years will favour open models", (2026, 2031)),
])
def test_stated_horizons_resolve_against_the_article_year(phrase, expected):
    horizon = find_horizon(phrase, 2026)
    assert (horizon.start, horizon.end) == expected and horizon.stated


def test_an_undated_article_resolves_only_calendar_years():
    assert find_horizon("in five years open models win", None)[:2] == (None, None)
    assert find_horizon("by 2030 open models win", None)[:2] == (None, 2030)
    assert find_horizon("in 2027-2028 the market splits", None)[:2] == (2027, 2028)


def test_vague_horizons_keep_the_phrase_and_invent_no_years():
    assert find_horizon("eventually open models win", 2026)[:3] == (None, None, "eventually")
    assert find_horizon("in the near term prices fall", 2026)[:3] == (None, None, "in the near term")
    assert find_horizon("Early 2026 is a seminal time", 2026) is None  # the present is not a horizon
    assert find_horizon("no time at all", 2026) is None


def test_quantities_are_typed_ranges_and_rates():
    [q] = find_quantities("valued in the $2-10T range", 100)
    assert (q.min_value, q.max_value, q.unit, q.span.start) == (2e12, 1e13, "USD", 114)
    [q] = find_quantities("a $500/month agent subscription")
    assert (q.min_value, q.per) == (500.0, "month")
    assert find_quantities("$3.5 billion")[0].min_value == 3.5e9


def test_glued_sentences_are_split_without_changing_offsets():
    text = "investment in new AI companies).ShareThe core of this. It ends.1The term"
    assert [text[i:i + 3] for i in seams(text)] == ["Sha", "The", "1Th", "The"]
    assert [text[p.start:p.end][:5] for p in paragraphs(text)] == ["inves", "Share", "The c", "1The "]


def test_camp_classification_uses_cues_discourse_and_both():
    assert classify_camp("Closed labs will keep pricing power.", [], None, None)[0] == "closed"
    assert classify_camp("Enterprises build in-house agents on commodity models.", [], None, None)[0] == "open"
    assert classify_camp("The open and closed model economies diverge.", [], None, None)[0] == "both"
    # No cue of its own: the paragraph's discourse decides, with low confidence.
    camp, confidence = classify_camp("Prices will fall a lot.", [], "open", None)
    assert camp == "open" and confidence < 0.5


def test_entities_are_canonical_typed_and_free_of_junk(nlp):
    body = ("OpenAI's Codex 5.2 and the Opus 4.5 model beat GPT-4o. Anthropic and Fireworks serve models. "
            "AI will change everything. Zephyr Labs, a new lab in Paris, released open-weight models.")
    extraction = extract_one(article(body), nlp)
    found = {(m.entity.label, m.entity.type) for m in extraction.mentions}
    assert {("OpenAI", "Organization"), ("Codex 5.2", "Product"), ("Opus 4.5", "Product"),
            ("GPT-4o", "Product"), ("Anthropic", "Organization"), ("Fireworks AI", "Organization"),
            ("open models", "Concept")} <= found
    assert ("Zephyr Labs", "Organization") in found  # unknown to the gazetteer, still found
    assert not any(label == "AI" for label, _ in found)
    for m in extraction.mentions:
        assert body[m.span.start:m.span.end] == m.span.quote
        assert not m.span.quote.endswith("'s")


def test_claims_forecasts_and_relations_from_a_small_argument(nlp):
    body = ("Closed labs will capture large margins on coding agents in 5-10 years. "
            "However, open models will eventually win on price because enterprises want in-house control. "
            "Subscribe to our newsletter!\nWhat do you think?\n")
    extraction = extract_one(article(body), nlp)
    quotes = [c.span.quote for c in extraction.claims]
    assert quotes[0].startswith("Closed labs will capture")
    assert not any("Subscribe" in q or q.endswith("?") for q in quotes)
    camps = [c.camp for c in extraction.claims]
    assert camps[:2] == ["closed", "open"]
    first = next(f for f in extraction.forecasts if f.span.quote.startswith("Closed labs"))
    assert (first.horizon_start, first.horizon_end, first.confidence) == (2031, 2036, "certain")
    assert any(r.type == "contrasts" for r in extraction.relations)
    assert any(o.reason == "page chrome" for o in extraction.offtopic)


def links(nlp, body: str) -> set[tuple[str, str, str]]:
    """The relations of a small text as (first three words of source, type, of target)."""
    def words(span):
        return " ".join(span.quote.split()[:3])
    return {(words(r.source), r.type, words(r.target)) for r in extract_one(article(body), nlp).relations}


@pytest.mark.parametrize("body, expected", [
    # A demonstrative giving a reason justifies the claim before it.
    ("The frontier labs believe that making the models smarter has the most value. "
     "This is the right call because it unlocks large new markets.",
     {("This is the", "supports", "The frontier labs")}),
    # A consequence marker: the claim before is the reason.
    ("Open models run cheaply on commodity hardware in any data center. "
     "Therefore, enterprises will build in-house agents on open models.",
     {("Open models run", "supports", "Therefore, enterprises will")}),
    # "It's a gold rush" carries on the first claim; "But" answers both, so it contrasts the first.
    ("Many companies mandate AI agent usage on closed APIs where the benefit is questionable. "
     "It's a gold rush for the closed labs. But the core signal from the coding frontier is real.",
     {("But the core", "contrasts", "Many companies mandate")}),
    # "Their incentive ..." carries on the developer claim; the summary draws on that claim.
    ("The developer who ships features twice as fast with a closed coding agent won't switch to a free model. "
     "Their personal incentive is misaligned with procurement. "
     "This creates a sticky, high-margin user base for closed providers.",
     {("The developer who", "supports", "This creates a")}),
    # The open side conceding it falls short backs the closed claim rather than opposing it.
    ("Only the well-capitalized closed labs can play this game of vertical integration. "
     "Open-source models can't match that level of optimization.",
     {("Open-source models can't", "supports", "Only the well-capitalized")}),
    # A camp borrowed from the article ("The old analogy ...") is not a side to contrast.
    ("Closed labs will keep their large margins. The frontier labs sell premium subscriptions. "
     "The old analogy is deeply flawed. Open models win on commodity pricing in many niches.",
     set()),
    # "both" is no side: a prediction after a claim about both economies is not its conclusion.
    ("The open and closed model economies are operating on different exponentials. "
     "I believe that progress will continue across the entire ecosystem.",
     set()),
], ids=["demonstrative-reason", "consequence-opener", "pronoun-continues-before-contrast",
        "pronoun-continues-before-summary", "shortfall-concedes", "borrowed-camp-no-contrast", "both-is-no-side"])
def test_relation_rules_on_small_arguments(nlp, body, expected):
    assert links(nlp, body) == expected


def test_hedges_set_confidence(nlp):
    body = ("I expect open models to take share. Closed labs might form an oligopoly. "
            "The frontier labs will dominate premium work.")
    forecasts = extract_one(article(body), nlp).forecasts
    assert [(f.confidence, f.confidence_cue) for f in forecasts] == [
        ("likely", "expect"), ("possible", "might"), ("certain", "will")]


def test_the_strongest_hedge_of_the_predicting_clause_sets_confidence(nlp):
    """GUIDELINES rule 7: a modal in any clause counts, after "but" the predicting clause
    carries the confidence, and conditions are no hedges."""
    body = ("The results suggest that open models might be trained far more cheaply next year. "
            "Price cuts may help the labs in the short term, but in the long run they will backfire. "
            "It remains to be seen whether buyers will accept the price of the closed models. "
            "We are bullish that open-weight labs will take market share from the frontier labs. "
            "If the price war goes on, smaller labs will sell themselves to the frontier labs.")
    forecasts = extract_one(article(body), nlp).forecasts
    assert [f.confidence for f in forecasts] == ["possible", "certain", "possible", "likely", "certain"]


def test_a_dash_aside_with_its_own_hedge_is_a_second_forecast(nlp):
    body = ("The best closed labs — right now just Anthropic and OpenAI, but it's reasonable to expect "
            "Google to catch up — will always make the most efficient models.")
    forecasts = extract_one(article(body), nlp).forecasts
    assert len(forecasts) == 2
    assert {f.confidence for f in forecasts} == {"certain", "likely"}


def test_every_span_quotes_the_body_exactly(nlp):
    body = "Open models will be cheap.ShareThe closed labs, however, will keep margins — forever.\n"
    extraction = extract_one(article(body), nlp)
    spans = ([m.span for m in extraction.mentions] + [c.span for c in extraction.claims] +
             [f.span for f in extraction.forecasts] + [o.span for o in extraction.offtopic])
    assert spans
    for s in spans:
        assert body[s.start:s.end] == s.quote


def test_present_ability_is_no_forecast_but_a_possible_future_event_is(nlp):
    """GUIDELINES rule 6: can/could/may state an ability or a present possibility unless the
    verb names an event still to come."""
    body = ("Background agents can support both open and closed models. "
            "You could run the smaller open model on a laptop with room to spare. "
            "Hosted open models may be more portable across clouds than proprietary ones. "
            "The cheaper open-weight labs could soon catch up with the frontier. "
            "That price war may let the smaller labs overtake their rivals. "
            "Open-source models can't match that level of optimization.")
    forecasts = extract_one(article(body), nlp).forecasts
    assert [(f.span.quote[:14], f.confidence) for f in forecasts] == [
        ("The cheaper op", "possible"), ("That price war", "possible")]


def test_embedded_questions_signposts_and_estimates_are_no_forecasts(nlp):
    body = ("Predicting what the closed labs will do with their pricing power is hard. "
            "Nobody knows which camp will matter more to enterprise buyers next decade. "
            "We’re going to  talk about the pricing of open models in a minute. "
            "We estimate that app companies spend a third of revenue on inference today. "
            "If the price war goes on, smaller labs will sell themselves to the frontier labs.")
    forecasts = extract_one(article(body), nlp).forecasts
    assert [f.span.quote[:22] for f in forecasts] == ["If the price war goes "]


def test_an_unseen_news_article_in_another_style(rules_nlp):
    """A news piece unlike the seeds: dateline, quotes, newsletter chrome, a related-links list
    (the camps as the rules decide them)."""
    from conftest import ROOT

    from argmap.corpus import read_article

    extraction = extract_one(read_article(ROOT / "tests" / "data" / "unseen_news.md"), rules_nlp)
    def starting(items, prefix):
        [found] = [item for item in items if item.span.quote.startswith(prefix)]
        return found

    assert starting(extraction.claims, "However, OpenAI and Anthropic").camp == "closed"
    assert starting(extraction.claims, "Their models remain ahead").camp == "closed"  # the pronoun carries on
    assert starting(extraction.claims, "Analysts at Acme Research").camp == "open"    # "open-model" is a cue
    assert not any(c.span.quote.startswith(("—", "PARIS", "Sign up")) for c in extraction.claims)
    revenue = starting(extraction.forecasts, "The company expects revenue")
    assert (revenue.confidence, revenue.horizon_start, revenue.horizon_end) == ("likely", 2027, 2029)
    market = starting(extraction.forecasts, "Analysts at Acme Research")
    assert (market.confidence, market.horizon_end, market.quantities[0].min_value) == ("likely", 2032, 4e10)
    assert starting(extraction.forecasts, "Hugging Face and Together AI").confidence == "likely"
    entities = {(m.entity.label, m.entity.type) for m in extraction.mentions}
    assert {("Mistral AI", "Organization"), ("Arthur Mensch", "Person"), ("Acme Research", "Organization"),
            ("Hugging Face", "Organization")} <= entities
    # the related-links list and the newsletter line are page material, not the map
    assert not any(label in ("Gemini", "Meta", "Google") for label, _ in entities)
    reasons = {o.reason for o in extraction.offtopic}
    assert {"page chrome", "end of article: page material follows", "repeated title"} <= reasons
    assert any(r.type == "contrasts" and r.cue == "However" for r in extraction.relations)


def test_the_pipeline_also_runs_on_plain_text(nlp):
    """``nlp(text)`` without an article: lines end sentences, the year defaults to this year."""
    doc = nlp("Summary\nThe open model economy will keep growing by 2099.\n\nKey takeaway\nBudget for both.")
    assert [s.text.strip() for s in doc.sents] == ["Summary", "The open model economy will keep growing by 2099.",
                                                   "Key takeaway", "Budget for both."]
    [forecast] = doc._.argmap_forecasts
    assert forecast.horizon_end == 2099


def test_extracting_on_several_cores_gives_what_one_process_gives(nlp):
    # Forked workers return the same records, in input order, as extraction in this
    # process; one job (or one article) never forks.
    from _pool import small_articles

    from argmap.extract import extract
    from argmap.extract.parallel import extract_in_parallel

    articles = small_articles()[:5]
    alone = list(extract(articles, nlp))
    assert list(extract_in_parallel(articles, nlp, jobs=2)) == alone
    assert [e.article.id for e in extract_in_parallel(articles, nlp, jobs=1)] == [a.id for a in articles]
    assert any(e.claims for e in alone)


def test_the_relations_read_the_rules_camps_whoever_decides_the_camps(nlp, rules_nlp):
    """The relation rules weigh a camp by the rules' confidence (own cue or borrowed); with
    the camp model deciding camps (the default) they find what they find with the rules."""
    from conftest import ROOT

    from argmap.corpus import read_article

    article = read_article(ROOT / "tests" / "data" / "unseen_news.md")
    by_default, by_rules = extract_one(article, nlp), extract_one(article, rules_nlp)
    assert by_default.relations == by_rules.relations and by_rules.relations
