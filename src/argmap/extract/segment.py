"""Repair run-together web text and find paragraphs, without touching the text.

Web copies lose paragraph breaks ("...continue.The best closed labs") and glue
page chrome onto sentences ("companies).ShareThe core").  The repairing
tokenizer splits such tokens and marks a sentence start at the seam; the seam
also counts as a paragraph break.  Offsets never change: tokens are only split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

__all__ = ["RepairingTokenizer", "seams", "paragraphs", "Paragraph", "text_of"]

# End of a sentence glued to the capitalised start of the next one.
_GLUE = re.compile(r"(?<=[a-z0-9\)\]\"”’][.!?])(?=[A-Z][a-z])|(?<=[a-z0-9][.!?][\)\]\"”’])(?=[A-Z][a-z])")
# Chrome words glued between two sentences ("companies).ShareThe").
_GLUED_CHROME = re.compile(r"(?<=[.!?\)\]\"”’])(Share|Subscribe|Advertisement)(?=[A-Z][a-z])")
# A footnote marker glued after a sentence end ("world.1The term ...").
_FOOTNOTE = re.compile(r"(?<=[a-z\)][.!?])(\d{1,2})(?=[A-Z][a-z])")


def seams(text: str) -> list[int]:
    """Offsets where a glued sentence, chrome word or footnote starts.

    >>> t = "new companies).ShareThe core. It works.1The term"
    >>> [t[i:i+5] for i in seams(t)]
    ['Share', 'The c', '1The ', 'The t']
    """
    points = {m.start() for m in _GLUE.finditer(text)}
    for m in _GLUED_CHROME.finditer(text):
        points.update((m.start(), m.end()))
    for m in _FOOTNOTE.finditer(text):
        points.update((m.start(), m.end()))
    return sorted(p for p in points if 0 < p < len(text))


def footnote_starts(text: str) -> list[int]:
    """Offsets of footnote markers glued after a sentence end."""
    return [m.start() for m in _FOOTNOTE.finditer(text)]


class RepairingTokenizer:
    """Wrap a spaCy tokenizer: tokenize between seams and mark sentence starts there."""

    def __init__(self, tokenizer):
        self.inner = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        cuts = seams(text)
        if not cuts:
            return self.inner(text)
        words, spaces, starts = [], [], []
        bounds = [0, *cuts, len(text)]
        for a, b in zip(bounds, bounds[1:]):
            piece = self.inner(text[a:b])
            for i, token in enumerate(piece):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
                starts.append(True if (i == 0 and a > 0) else None)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for token, start in zip(doc, starts):
            if start:
                token.is_sent_start = True
        return doc

    # spaCy calls these when it saves or copies a pipeline.
    def to_bytes(self, **kwargs):
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.inner.from_bytes(data, **kwargs)
        return self

    def to_disk(self, path, **kwargs):
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):
        self.inner.from_disk(path, **kwargs)
        return self


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int


def paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs: lines of text, further cut at glued seams (lost paragraph breaks).

    >>> [(p.start, p.end) for p in paragraphs("One.\\n\\nTwo.Three.")]
    [(0, 4), (6, 10), (10, 16)]
    """
    cuts = set(m.start() for m in _GLUE.finditer(text)) | set(footnote_starts(text))
    for m in _GLUED_CHROME.finditer(text):
        cuts.update((m.start(), m.end()))
    found, start = [], 0
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        pieces = [start, *sorted(c for c in cuts if start < c < end), end]
        for a, b in zip(pieces, pieces[1:]):
            stripped_a = a + (len(text[a:b]) - len(text[a:b].lstrip()))
            stripped_b = a + len(text[a:b].rstrip())
            if stripped_b > stripped_a:
                found.append(Paragraph(len(found), stripped_a, stripped_b))
        start = end
    return found


def text_of(doc: Doc) -> str:
    """The Doc's text, computed once: ``Doc.text`` rebuilds the string from every token."""
    text = doc.user_data.get("argmap_text")
    if text is None:
        text = doc.user_data["argmap_text"] = doc.text
    return text
