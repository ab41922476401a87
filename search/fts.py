"""The embedded engine's text matching: what a user typed as an SQLite FTS5 MATCH
expression, with Meilisearch-like typo tolerance drawn from the index's own vocabulary.

Each part of the query (`search.text.parse_query`) becomes one OR-group: the word itself
(as a prefix when it is the last word), the vocabulary words within its typo budget, and
its synonyms; the groups are ANDed. Only words that are in the index are ever tried as
corrections, so a typo costs a lookup in memory, not a scan of the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from search.text import QueryPart, allowed_typos, typo_distance

# Per typed word, at most this many corrections (the nearest, then the most common): a
# short, common-looking word must not turn into an OR of hundreds of terms.
MAX_CORRECTIONS = 12


class Vocabulary:
    """The words of the index and in how many documents each occurs, grouped for typo
    look-ups by first letter and length."""

    def __init__(self, documents_per_term: Mapping[str, int]) -> None:
        self._documents = dict(documents_per_term)
        grouped: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for term in self._documents:
            if _typo_candidate(term):
                grouped[term[0]][len(term)].append(term)
        # Plain dicts from here on: readers in other threads must never see one grow.
        self._by_start = {start: dict(lengths) for start, lengths in grouped.items()}
        self._prefixes: dict[tuple[str, int], frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._documents)

    def adding(self, terms: Iterable[str]) -> Vocabulary:
        """A vocabulary that also has `terms` (counted in one document each): a copy that
        shares what did not change, so readers of this one are never disturbed."""
        new = {term for term in terms if term and term not in self._documents}
        if not new:
            return self
        copy = Vocabulary({})
        copy._documents = self._documents | dict.fromkeys(new, 1)
        copy._by_start = dict(self._by_start)
        touched: set[str] = set()
        for term in sorted(filter(_typo_candidate, new)):
            start = term[0]
            if start not in touched:
                touched.add(start)
                lengths = self._by_start.get(start, {})
                copy._by_start[start] = {length: list(terms) for length, terms in lengths.items()}
            copy._by_start[start].setdefault(len(term), []).append(term)
        cached = dict(self._prefixes)  # a copy in one step: readers may add to the original
        copy._prefixes = {key: value for key, value in cached.items() if key[0] not in touched}
        return copy

    def corrections(self, word: str) -> list[str]:
        """Index words `word` may be a typo of (never `word` itself)."""
        limit = allowed_typos(word)
        if limit == 0 or word[0] not in self._by_start:
            return []
        by_length = self._by_start[word[0]]
        candidates = (
            term
            for length in range(len(word) - limit, len(word) + limit + 1)
            for term in by_length.get(length, ())
        )
        return self._nearest(word, candidates, limit)

    def prefix_corrections(self, word: str) -> list[str]:
        """Beginnings of longer index words that `word` may be a typo of: for a last word
        the user is still typing ("dagbsted" → "dagbested")."""
        limit = allowed_typos(word)
        if limit == 0 or word[0] not in self._by_start:
            return []
        candidates = (
            prefix
            for length in range(len(word) - limit, len(word) + limit + 1)
            for prefix in self._prefixes_of(word[0], length)
        )
        return self._nearest(word, candidates, limit)

    def starts_a_word(self, prefix: str) -> bool:
        """Whether some index word begins with `prefix` (or is it)."""
        return bool(prefix) and (
            prefix in self._documents or prefix in self._prefixes_of(prefix[0], len(prefix))
        )

    def _prefixes_of(self, start: str, length: int) -> frozenset[str]:
        key = (start, length)
        if key not in self._prefixes:
            self._prefixes[key] = frozenset(
                term[:length]
                for term_length, terms in self._by_start.get(start, {}).items()
                if term_length > length
                for term in terms
            )
        return self._prefixes[key]

    def _nearest(self, word: str, candidates: Iterable[str], limit: int) -> list[str]:
        scored = []
        for candidate in candidates:
            if candidate != word:
                distance = typo_distance(word, candidate, limit)
                if distance <= limit:
                    scored.append((distance, -self._documents.get(candidate, 0), candidate))
        scored.sort()
        return [candidate for _, _, candidate in scored[:MAX_CORRECTIONS]]


def _typo_candidate(term: str) -> bool:
    # Words with digits (postcodes, numbers) are never typo corrections.
    return bool(term) and not any(char.isdigit() for char in term)


def match_expression(parts: list[QueryPart], vocabulary: Vocabulary | None) -> str:
    """The FTS5 query for `parts` (all must match); `vocabulary` None means no typos."""
    groups = []
    for part in parts:
        last = len(part.words) - 1
        own = [
            _word_alternatives(word, part.prefix and position == last, vocabulary)
            for position, word in enumerate(part.words)
        ]
        alternatives = [own[0] if len(own) == 1 else "(" + " AND ".join(own) + ")"]
        alternatives += [_quoted(" ".join(synonym)) for synonym in part.synonyms]
        groups.append(alternatives[0] if len(alternatives) == 1 else _any(alternatives))
    return " AND ".join(groups)


def in_column(expression: str, column: str) -> str:
    """`expression` (from `match_expression`) matched in one column of the table only."""
    return f"{{{column}}} : ({expression})"


def outside_column(expression: str, column: str) -> str:
    """What matches `expression` but not `in_column(expression, column)`."""
    return f"({expression}) NOT {in_column(expression, column)}"


def _word_alternatives(word: str, prefix: bool, vocabulary: Vocabulary | None) -> str:
    if not prefix:
        corrections = vocabulary.corrections(word) if vocabulary is not None else []
        return _any([_quoted(word), *(_quoted(term) for term in corrections)])
    terms = [_quoted(word) + "*"]
    if vocabulary is not None:
        typed = vocabulary.starts_a_word(word)
        # Skip what `word*` already finds, and, when the typed letters begin a word of the
        # index, shorter beginnings: each costs a scan of every word it starts.
        terms += [
            _quoted(term) for term in vocabulary.corrections(word) if not term.startswith(word)
        ]
        terms += [
            _quoted(start) + "*"
            for start in vocabulary.prefix_corrections(word)
            if not start.startswith(word) and not (typed and word.startswith(start))
        ]
    return _any(terms)


def _any(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _quoted(text: str) -> str:
    # An FTS5 string: operators and punctuation inside quotes are plain text.
    return '"' + text.replace('"', '""') + '"'
