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

__all__ = ["RepairingTokenizer", "seams", "soft_breaks", "paragraphs", "Paragraph", "text_of"]

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


# A line that opens a block of its own: a heading, list item, quote, table row or bold line.
_BLOCK_START = re.compile(r"[ \t]*(#{1,6}\s|>|[-•*+]\s|\d{1,2}[.)]\s|\||\*\*|__)")
# Words that cannot end a sentence: a line ending in one was cut by a scraper ("under a\nGuardian").
_OPEN_ENDING = re.compile(r"(?:^|\s)(a|an|the|to|of|in|on|for|with|and|or|by|from|at|as|under|via|like|than|that|"
                          r"is|are|was|were|be|its|their|his|her|our|this|these|my|your|into|about|over)[ \t]*$",
                          re.I)
_SOFT_NEXT = re.compile(r"[ \t]*([a-z]|[.,;:!?)\]’”/]|\([a-z])")


def soft_breaks(text: str) -> set[int]:
    r"""Offsets of line breaks that do not end a sentence: a scraper cut the line around a
    link or markup ("the searchable archive is\nhere\n. Please"). A break is soft when the
    next line goes on in lower case or with punctuation, or the line before ends on a word
    no sentence ends with; a blank line, a block marker or a heading is always a hard break.

    >>> t = "archive is\nhere\n. Please support ChinAI under a\nGuardian\n/Wikipedia model.\nNext."
    >>> [t[i + 1:i + 6] for i in sorted(soft_breaks(t))]
    ['here\n', '. Ple', 'Guard', '/Wiki']
    >>> soft_breaks("# A heading\nbody text") | soft_breaks("One.\n\nthen") | soft_breaks("Title\n- item")
    set()
    """
    soft = set()
    for m in re.finditer(r"\n", text):
        i = m.start()
        line_start = text.rfind("\n", 0, i) + 1
        before = text[line_start:i]
        after_end = text.find("\n", i + 1)
        after = text[i + 1:after_end if after_end != -1 else len(text)]
        if not before.strip() or not after.strip() or _BLOCK_START.match(after) or _BLOCK_START.match(before):
            continue
        if before.rstrip().endswith("**"):
            continue
        if _SOFT_NEXT.match(after) or (_OPEN_ENDING.search(before) and after.lstrip()[:1].isupper()):
            soft.add(i)
    return soft


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
    for line in _joined_lines(text):
        end = start + len(line)
        pieces = [start, *sorted(c for c in cuts if start < c < end), end]
        for a, b in zip(pieces, pieces[1:]):
            stripped_a = a + (len(text[a:b]) - len(text[a:b].lstrip()))
            stripped_b = a + len(text[a:b].rstrip())
            if stripped_b > stripped_a:
                found.append(Paragraph(len(found), stripped_a, stripped_b))
        start = end
    return found


def _joined_lines(text: str) -> list[str]:
    """The text's lines, with lines that a soft break cut joined again (keeping the breaks)."""
    soft = soft_breaks(text)
    lines, current, offset = [], "", 0
    for line in text.splitlines(keepends=True):
        current += line
        offset += len(line)
        if not (line.endswith("\n") and offset - 1 in soft):
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    return lines


def text_of(doc: Doc) -> str:
    """The Doc's text, computed once: ``Doc.text`` rebuilds the string from every token."""
    text = doc.user_data.get("argmap_text")
    if text is None:
        text = doc.user_data["argmap_text"] = doc.text
    return text
