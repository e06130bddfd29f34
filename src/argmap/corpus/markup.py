r"""Markup in article text: what kind of block a line is, and a clean display text.

Articles arrive as Markdown, pandoc output or scraped web text. The exact quote of
every node stays as it is in the body (its offsets are its provenance); what a
reader sees is the display text, with link targets, code ticks, emphasis and
pandoc escapes taken out.

>>> display_text(r"Meta [released Llama](https://ai.meta.com/) at \$3-9 per `M` tokens, **today**.")
'Meta released Llama at $3-9 per M tokens, today.'
>>> block_kind("### Meta's open frontier model")
'heading'
>>> block_kind("> Lastly, we emphasize again the costs.")
'quote'
>>> block_kind("**So what did DeepSeek announce?**")
'question'
"""

from __future__ import annotations

import re

__all__ = ["display_text", "block_kind", "line_around", "BLOCK_KINDS"]

BLOCK_KINDS = ("body", "heading", "quote", "question", "list", "bold", "fragment")

_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_BARE_URL = re.compile(r"\(?https?://\S+\)?")
_CODE = re.compile(r"`([^`]*)`")
# Underscores emphasise only at word edges (CommonMark): "window.__pwned" is a name.
_EMPHASIS = re.compile(
    r"\*\*(?!\s)(.+?)(?<!\s)\*\*|(?<![\w_])__(?!\s)(.+?)(?<!\s)__(?![\w_])"
    r"|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|<>~\"'])")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_QUOTE = re.compile(r"^\s*>")
_LIST = re.compile(r"^\s*([-•*+]|\d{1,2}[.)])\s+")
_WHOLE_BOLD = re.compile(r"^\s*(\*\*|__)(.+)\1\s*$", re.S)
_TERMINAL = re.compile(r"[.!?…:;\"”’)\]]\s*$")


def display_text(quote: str) -> str:
    """The quote as a reader should see it: no link targets, ticks, emphasis or escapes."""
    text = _LINK.sub(r"\1", quote)
    text = _CODE.sub(r"\1", text)
    for _ in range(2):  # nested emphasis ("**a *b* c**")
        text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or m.group(3) or "", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _BARE_URL.sub("", text) if _BARE_URL.fullmatch(text.strip()) is None else text
    text = re.sub(r"^\s*(>\s*)+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def line_around(text: str, start: int, end: int) -> str:
    """The whole line (from the line break before ``start`` to the one after ``end``)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return text[a:b if b != -1 else len(text)]


def block_kind(line: str) -> str:
    """What a line of the article is: one of :data:`BLOCK_KINDS`.

    A heading is marked (``#``) or is a short line that stands alone without a
    sentence's closing punctuation; a bold line ending in "?" is a Q&A question.
    """
    stripped = line.strip()
    if not stripped:
        return "fragment"
    if _HEADING.match(line):
        return "heading"
    if _QUOTE.match(line):
        return "quote"
    bold = _WHOLE_BOLD.match(stripped)
    if bold:
        return "question" if bold.group(2).rstrip().endswith("?") else "bold"
    if _LIST.match(line):
        return "list"
    words = display_text(stripped).split()
    if len(words) <= 12 and not _TERMINAL.search(display_text(stripped)):
        return "heading"
    if len(words) < 4:
        return "fragment"
    return "body"
