"""Words, stems and highlighted snippets, the same way for SQLite and PostgreSQL.

PostgreSQL stems with its ``english`` and ``german`` Snowball configurations; on SQLite the
same Snowball stemmers (PyStemmer) run here, so a query finds the same rows on both. Snippets
are cut and highlighted here too, from the stored plain text: every character of user text is
escaped, and the only markup added is ``<mark>``.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import Stemmer
from markupsafe import Markup, escape

from core.models.search import LANGUAGES

# Letters and digits; FTS5's unicode61 tokenizer splits on everything else (underscore too).
WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 12
SNIPPET_WORDS = 32
WORDS_BEFORE_MATCH = 6


@cache
def _stemmers() -> tuple[Stemmer.Stemmer, ...]:
    return tuple(Stemmer.Stemmer(language) for language in LANGUAGES)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def stems_of(word: str) -> tuple[str, ...]:
    """The word's stem in each indexed language, without repeats."""
    found: list[str] = []
    for stemmer in _stemmers():
        stem = stemmer.stemWord(word)
        if stem not in found:
            found.append(stem)
    return tuple(found)


def terms(text: str) -> str:
    """What FTS5 indexes for ``text``: each word's stems, space-separated."""
    tokens = words(text)
    if not tokens:
        return ""
    per_language = [stemmer.stemWords(tokens) for stemmer in _stemmers()]
    out: list[str] = []
    for stems in zip(*per_language, strict=True):
        out.append(stems[0])
        out.extend(stem for stem in stems[1:] if stem != stems[0])
    return " ".join(out)


@dataclass(frozen=True)
class ParsedQuery:
    """A search as typed, reduced to its words (all must match, each in any of its stemmed forms)."""

    text: str
    words: tuple[str, ...]

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(stem for word in self.words for stem in stems_of(word))

    def fts5(self) -> str:
        """An FTS5 MATCH expression: ``("stem" OR "stem") AND (...)``; stems are letters and digits only."""
        return " AND ".join("(" + " OR ".join(f'"{stem}"' for stem in stems_of(word)) + ")" for word in self.words)


def parse(text: str) -> ParsedQuery:
    unique: list[str] = []
    for word in words(text):
        if word not in unique:
            unique.append(word)
    return ParsedQuery(text=text, words=tuple(unique[:MAX_QUERY_WORDS]))


class Matcher:
    """Says which words of a text match the query's stems; remembers each word form it has seen."""

    def __init__(self, stems: frozenset[str]) -> None:
        self.stems = stems
        self._seen: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        lowered = word.lower()
        found = self._seen.get(lowered)
        if found is None:
            found = self._seen[lowered] = any(stem in self.stems for stem in stems_of(lowered))
        return found

    def spans(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, matched) for each word of ``text``."""
        return [(m.start(), m.end(), self.matches(m.group())) for m in WORD.finditer(text)]


def _render(text: str, spans: Iterable[tuple[int, int, bool]], start: int, end: int) -> Markup:
    out: list[str] = []
    position = start
    for word_start, word_end, matched in spans:
        if matched:
            out.append(html.escape(text[position:word_start]))
            out.append("<mark>")
            out.append(html.escape(text[word_start:word_end]))
            out.append("</mark>")
            position = word_end
    out.append(html.escape(text[position:end]))
    return Markup("".join(out))


def highlight(text: str, matcher: Matcher) -> Markup:
    """All of ``text``, escaped, with the words that match marked."""
    return _render(text, matcher.spans(text), 0, len(text))


def snippet(text: str, matcher: Matcher, size: int = SNIPPET_WORDS) -> Markup:
    """About ``size`` words of ``text`` around its densest cluster of matches, escaped and marked."""
    text = " ".join(text.split())
    spans = matcher.spans(text)
    if not spans:
        return escape(text[:200])
    hits = [n for n, span in enumerate(spans) if span[2]]
    first = 0
    if hits:
        best, count, left = hits[0], 0, 0
        for right, index in enumerate(hits):
            while index - hits[left] >= size:
                left += 1
            if right - left + 1 > count:
                best, count = hits[left], right - left + 1
        first = max(0, best - WORDS_BEFORE_MATCH)
    last = min(len(spans), first + size) - 1
    start = spans[first][0] if first else 0
    end = spans[last][1] if last < len(spans) - 1 else len(text)
    body = _render(text, spans[first:last + 1], start, end)
    prefix = Markup("… ") if start else Markup("")
    suffix = Markup(" …") if end < len(text) else Markup("")
    return prefix + body + suffix
