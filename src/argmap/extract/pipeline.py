"""Build the spaCy pipeline: the trained English model plus argmap's components.

Components (namespaced and versioned instance names, in pipeline order; the
factories are registered as ``argmap_<step>_v1`` because spaCy forbids dots there)::

    argmap.boundaries.v1   before parser   sentence starts at line breaks
    argmap.gazetteer.v1    before ner      entity_ruler with the gazetteer and versioned model names
    ner                    (trained)
    argmap.offtopic.v1                     page chrome and unrelated material → doc._.argmap_offtopic
    argmap.entities.v1                     canonical mentions → doc._.argmap_mentions
    argmap.claims.v1                       claims with camps → doc._.argmap_claims
    argmap.forecasts.v1                    forecasts → doc._.argmap_forecasts
    argmap.relations.v1                    supports/contrasts, key claims → doc._.argmap_relations

Every component reads the article (for its date and id) from ``doc._.argmap_article``.
"""

from __future__ import annotations

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelError
from ..settings import DEFAULT_MODEL, decider_setting
from .lexicon import lexicon
from .segment import RepairingTokenizer, soft_breaks, text_of

__all__ = ["load_pipeline", "EXTENSIONS", "register_extensions"]

# All custom Doc attributes argmap sets, in one place.
EXTENSIONS = ("argmap_article", "argmap_paragraphs", "argmap_offtopic", "argmap_mentions", "argmap_claims",
              "argmap_forecasts", "argmap_relations")


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@Language.component("argmap_boundaries_v1")
def line_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence (headings, list items, bylines), unless a scraper
    cut the line mid-sentence around a link or markup: then the sentence goes on."""
    # spaCy keeps a line break as a whitespace token of its own; look only at those.
    spaces = numpy.flatnonzero(doc.to_array("IS_SPACE"))
    soft = soft_breaks(text_of(doc)) if len(spaces) else set()
    for i in spaces:
        token = doc[i]
        if i + 1 < len(doc) and "\n" in token.text and not doc[i + 1].is_space:
            newline = token.idx + token.text.rfind("\n")
            doc[i + 1].is_sent_start = newline not in soft or "\n\n" in token.text
    return doc


def _gazetteer_patterns() -> list[dict]:
    """Phrase patterns (matched on lower-cased text, the cheapest matcher); entries
    marked case_sensitive are checked for their exact casing in the entities component."""
    patterns = []
    for entry in lexicon().entries:
        entity = entry.entity
        for surface in sorted({entity.label, *entity.aliases}):
            patterns.append({"label": "ARGMAP", "id": entity.key, "pattern": surface})
    return patterns


def _version_patterns() -> list[dict]:
    """'Opus 4.5', 'GPT-4o', 'Llama 3.1 405B', 'Gemini 2.5 Pro' → Product entities of their own."""
    # "4.5", "4o", "v2", and a letter before the number ("R1", "V3", "K2.6": "DeepSeek-R1", "Kimi K2").
    version = {"TEXT": {"REGEX": r"^(v?\d+(\.\d+)*[a-z]?|\d+[a-z]+\d*|[A-Z]\d+(\.\d+)*)$"}}
    size = {"TEXT": {"REGEX": r"^\d+(\.\d+)?[BbMmTt]$"}, "OP": "?"}
    tier = {"LOWER": {"IN": ["pro", "flash", "mini", "turbo", "max", "ultra", "instruct", "sonnet", "opus",
                             "haiku", "coder", "preview"]}, "OP": "?"}
    patterns = []
    for family in lexicon().model_families:
        head = {"ORTH": family}
        patterns.append({"label": "ARGMAP_VERSION", "pattern": [head, version, size, tier]})
        patterns.append({"label": "ARGMAP_VERSION", "pattern": [head, {"ORTH": "-"}, version, size, tier]})
        patterns.append({"label": "ARGMAP_VERSION",
                         "pattern": [{"TEXT": {"REGEX": rf"^{family}-\d[\w.]*$"}}, size, tier]})
        if any(ch.isdigit() for ch in family):  # a family named by its version: "o1", "o3-mini"
            patterns.append({"label": "ARGMAP_VERSION", "pattern": [head, tier]})
            patterns.append({"label": "ARGMAP_VERSION", "pattern": [head, {"ORTH": "-"}, {**tier, "OP": "1"}]})
    # Names of one token shaped like a product's ("H100", "GB200": chips), from the gazetteer.
    for shape in lexicon().product_shapes:
        patterns.append({"label": "ARGMAP_VERSION", "pattern": [{"TEXT": {"REGEX": shape}}]})
    return patterns


def load_pipeline(model: str = DEFAULT_MODEL, decider: str | None = None) -> Language:
    """Load an installed spaCy English pipeline and add argmap's components.

    Nothing is downloaded: the model must be installed (the default one is a
    dependency of argmap).  ``decider`` chooses who decides claims and camps (unset:
    ``ARGMAP_DECIDER``, else ``camp-model``): ``camp-model`` (the rules decide claims,
    the trained camp model camps), ``rules`` or ``model`` (the trained classifiers
    shipped in ``data/models`` decide both).
    """
    register_extensions()
    try:
        nlp = spacy.load(model, exclude=["lemmatizer"])
    except OSError:
        raise ModelError(
            f"spaCy pipeline {model!r} is not installed; argmap ships with {DEFAULT_MODEL} "
            f"(reinstall argmap) or install the pipeline you name with --model"
        ) from None
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline {model!r} needs a parser and an ner component")
    nlp.tokenizer = RepairingTokenizer(nlp.tokenizer)
    nlp.add_pipe("argmap_boundaries_v1", name="argmap.boundaries.v1", before="parser")
    ruler = nlp.add_pipe("entity_ruler", name="argmap.gazetteer.v1", before="ner",
                         config={"phrase_matcher_attr": "LOWER", "validate": False, "overwrite_ents": True})
    ruler.add_patterns(_gazetteer_patterns() + _version_patterns())
    # Imported here so the component factories are registered before use.
    from . import components  # noqa: F401

    for step in ("offtopic", "entities", "claims", "forecasts", "relations"):
        config = {"decider": decider or decider_setting()} if step == "claims" else {}
        nlp.add_pipe(f"argmap_{step}_v1", name=f"argmap.{step}.v1", last=True, config=config)
    return nlp


