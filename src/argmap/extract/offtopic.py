"""Off-topic material: page chrome, repeated titles, footnotes, tag lists and
paragraphs unrelated to the article.  Such spans get no claims and no entities;
they are kept as ``arg:OffTopicSpan`` so a user can see what was skipped."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc

from ..model import Article, OffTopic, Span
from .lexicon import lexicon, phrase_regex
from .segment import Paragraph, footnote_starts, text_of

__all__ = ["find_offtopic", "OffTopicIndex"]

_BULLET = re.compile(r"^\s*([-•*]|\d+\.)\s+")
_TAG_HEADING = re.compile(r"^\s*(topics|tags|categories|filed under|related( on .*)?|see also)\s*:?\s*$", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_HEADING_MARKS = re.compile(r"^\s*(#{1,6}\s+|[*_]{1,3})|[*_]{1,3}\s*$")
# A paragraph of at most this many sentences opened by a chrome sentence is a notice.
_NOTICE_SENTENCES = 4


def _unmarked(line: str) -> str:
    """A line without its heading or emphasis marks ("## Related content" → "Related content")."""
    return _HEADING_MARKS.sub("", line.strip()).strip()


class OffTopicIndex:
    """Answers 'is this span (mostly) off-topic?' quickly."""

    def __init__(self, spans: list[OffTopic]):
        self.ranges = sorted((o.span.start, o.span.end) for o in spans)

    def covered(self, start: int, end: int) -> int:
        return sum(max(0, min(end, b) - max(start, a)) for a, b in self.ranges if a < end and b > start)

    def __call__(self, start: int, end: int) -> bool:
        return end > start and self.covered(start, end) * 2 >= (end - start)


def _words(text: str) -> list[str]:
    return [w.lower().rstrip("’'s") for w in _WORD.findall(text) if len(w) > 3]


def _unrelated(paras: list[Paragraph], text: str, domain: re.Pattern) -> set[int]:
    """Long paragraphs that share almost no vocabulary with the rest of the article."""
    bags = [Counter(_words(text[p.start:p.end])) for p in paras]
    total = Counter()
    for bag in bags:
        total.update(bag)
    unrelated = set()
    for p, bag in zip(paras, bags):
        size = sum(bag.values())
        if size < 25 or domain.search(text[p.start:p.end]):
            continue
        shared = sum(n for w, n in bag.items() if total[w] - n > 0)
        if shared / size < 0.3:
            unrelated.add(p.index)
    return unrelated


@lru_cache(maxsize=1)
def _patterns():
    cues = lexicon().cues
    chrome = [re.compile(p, re.I) for p in cues["chrome_patterns"]]
    ends = [re.compile(p, re.I) for p in cues["end_markers"]]
    notices = [re.compile(p, re.I) for p in cues["notice_patterns"]]
    domain = phrase_regex([s for e in lexicon().entries for s in (e.entity.label, *e.entity.aliases)
                           if len(s) > 3])
    return chrome, ends, notices, domain


def find_offtopic(doc: Doc, article: Article, paras: list[Paragraph]) -> list[OffTopic]:
    text = text_of(doc)
    chrome, ends, notices, domain = _patterns()
    title = article.title.strip().lower()
    found: list[OffTopic] = []

    def mark(start: int, end: int, reason: str) -> None:
        found.append(OffTopic(Span(start, end, text[start:end]), reason))

    after_title = False
    in_tag_list = False
    for i, p in enumerate(paras):
        line = text[p.start:p.end]
        low = line.lower().strip()
        if any(r.search(line) or r.search(_unmarked(line)) for r in ends):
            mark(p.start, len(text.rstrip()), "end of article: page material follows")
            break
        if title and (low == title or (low.startswith(title) and len(low) - len(title) < 30)):
            mark(p.start, p.end, "repeated title")
            after_title = True
            continue
        if after_title and len(line.split()) <= 15 and i > 1 and line.count(". ") == 0:
            mark(p.start, p.end, "subtitle")
            after_title = False
            continue
        after_title = False
        if _TAG_HEADING.match(line):
            mark(p.start, p.end, "tag list")
            in_tag_list = True
            continue
        if in_tag_list and _BULLET.match(line):
            mark(p.start, p.end, "tag list")
            continue
        in_tag_list = False
        if any(r.search(line) for r in chrome) and len(line.split()) <= 12:
            mark(p.start, p.end, "page chrome")
    for start in footnote_starts(text):
        end = text.find("\n", start)
        mark(start, end if end >= 0 else len(text.rstrip()), "footnote")
    index = OffTopicIndex(found)
    # Chrome sentences inside a paragraph ("Consider becoming a subscriber."). A notice (a job
    # ad, a sponsor's message) that opens a short paragraph takes the paragraph with it.
    starts = {p.start: p for p in paras}
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        if index(s, e):
            continue
        if any(r.search(sent.text) for r in chrome) and len(sent.text.split()) <= 45:
            para = starts.get(s) if any(r.search(sent.text) for r in notices) else None
            if para is not None and len(list(doc.char_span(para.start, para.end, alignment_mode="expand").sents)) <= _NOTICE_SENTENCES:
                mark(para.start, para.end, "notice")
            else:
                mark(s, e, "page chrome")
    kept = [p for p in paras if not OffTopicIndex(found)(p.start, p.end)]
    for idx in _unrelated(kept, text, domain):
        p = paras[idx]
        mark(p.start, p.end, "unrelated to the article")
    return sorted(found, key=lambda o: o.span.start)
