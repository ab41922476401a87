"""Text rules every search backend shares: normalisation, Dutch stop words, synonyms,
compound hints and typo tolerance.

The word lists are files in `search/data/` (`stopwords.txt`, `synonyms.txt`,
`compounds.txt`) so the embedded engine and Meilisearch read the same ones. Everything
here is pure: no database, no engine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

NON_WORD = re.compile(r"[\W_]+")
MIN_COMPOUND_PART = 4  # letters that must remain when a known part is split off
# Endings after which Dutch puts a linking s: "overbrugging|s|zorg", "gezondheid|s|zorg".
LINKING_S = ("ings", "heids", "teits")
# Meilisearch's defaults: no typo under 5 letters, one from 5, two from 9.
ONE_TYPO_FROM, TWO_TYPOS_FROM = 5, 9


def normalise(text: str) -> str:
    """Lower case, no diacritics, every run of punctuation a single space:
    "'s-Hertogenbosch Café" → "s hertogenbosch cafe", "BSO+" → "bso"."""
    if not text.isascii():
        text = _combining_marks().sub("", unicodedata.normalize("NFKD", text))
    return " ".join(NON_WORD.sub(" ", text.casefold()).split())


@lru_cache(maxsize=1)
def _combining_marks() -> re.Pattern[str]:
    # The accents NFKD splits off (é → e + ◌́), as one character class: much faster than
    # testing every character. Combining marks outside the BMP are not accents of letters.
    marks = "".join(
        re.escape(chr(code)) for code in range(0x10000) if unicodedata.combining(chr(code))
    )
    return re.compile(f"[{marks}]+")


def words(text: str) -> list[str]:
    """The normalised words of `text`."""
    return normalise(text).split()


# Meilisearch reads at most ten words of a query; every backend does the same.
MAX_QUERY_WORDS = 10


def query_text(q: str) -> str:
    """What a search is for, the same for every backend: its first ten normalised words,
    with no operator syntax left (`-word`, `"phrase"`, `^`, `*`, `NEAR(` are plain words
    here), and a trailing space kept when the user ended the last word."""
    kept = " ".join(words(q)[:MAX_QUERY_WORDS])
    return f"{kept} " if kept and q[-1:].isspace() else kept


# --- word lists ---------------------------------------------------------------------------


def _lines(name: str) -> list[str]:
    source = resources.files("search").joinpath("data", name)
    lines = []
    for raw in source.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Words a query ignores ("de", "van", "voor"...), normalised."""
    return frozenset(word for line in _lines("stopwords.txt") for word in words(line))


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of terms that find each other, normalised, in file order. A term can be
    several words: "licht verstandelijke beperking"."""
    groups = []
    for line in _lines("synonyms.txt"):
        terms = tuple(dict.fromkeys(term for part in line.split(",") if (term := normalise(part))))
        if len(terms) > 1:
            groups.append(terms)
    return tuple(groups)


def synonyms() -> dict[str, list[str]]:
    """Every term and the terms it also finds (mutual, as in Meilisearch's `synonyms`
    setting): {"tos": ["taalontwikkelingsstoornis", ...], ...}. A fresh dict each call."""
    result: dict[str, list[str]] = {}
    for group in synonym_groups():
        for term in group:
            others = result.setdefault(term, [])
            others.extend(other for other in group if other != term and other not in others)
    return result


@dataclass(frozen=True, slots=True)
class CompoundParts:
    """Known parts of Dutch compounds: those that start one ("zorg" in "zorgboerderij")
    and those that end one ("zorg" in "jeugdzorg"), longest first."""

    starts: tuple[str, ...]
    ends: tuple[str, ...]


@lru_cache(maxsize=1)
def compound_parts() -> CompoundParts:
    """The parts listed in `search/data/compounds.txt` ("zorg-" starts, "-zorg" ends)."""
    starts, ends = set(), set()
    for line in _lines("compounds.txt"):
        part = normalise(line.strip("-"))
        if line.endswith("-"):
            starts.add(part)
        elif line.startswith("-"):
            ends.add(part)
        else:
            raise ValueError(f"compounds.txt: {line!r} must start or end with '-'")
    return CompoundParts(_longest_first(starts), _longest_first(ends))


def _longest_first(parts: set[str]) -> tuple[str, ...]:
    return tuple(sorted(parts, key=lambda part: (-len(part), part)))


@lru_cache(maxsize=65_536)  # an index splits the same few thousand words over and over
def split_compound(word: str) -> tuple[str, ...]:
    """The words hidden in a compound, for indexing: "zorgboerderij" → ("boerderij",),
    "jeugdzorg" → ("zorg", "jeugd"), "overbruggingszorg" → ("zorg", "overbruggings",
    "overbrugging"). Empty for a word with no known part."""
    found: dict[str, None] = {}
    _split_into(word, compound_parts(), found)
    found.pop(word, None)
    return tuple(found)


def _split_into(word: str, parts: CompoundParts, found: dict[str, None]) -> None:
    for start in parts.starts:
        rest = word[len(start) :]
        if word.startswith(start) and len(rest) >= MIN_COMPOUND_PART and rest not in found:
            found[rest] = None
            _split_into(rest, parts, found)
    for end in parts.ends:
        head = word[: -len(end)]
        if word.endswith(end) and len(head) >= MIN_COMPOUND_PART - 1:
            found.setdefault(end, None)
            heads = [head]
            if head.endswith(LINKING_S):
                heads.append(head[:-1])  # the linking s: "overbruggings|zorg"
            for candidate in heads:
                if len(candidate) >= MIN_COMPOUND_PART and candidate not in found:
                    found[candidate] = None
                    _split_into(candidate, parts, found)


def compound_words(text: str) -> list[str]:
    """The compound parts of the words in normalised `text` that `text` does not already
    contain, each once: what an index adds so "boerderij" finds "zorgboerderij"."""
    present = set(text.split())
    extra: dict[str, None] = {}
    for word in present:
        for part in split_compound(word):
            if part not in present:
                extra[part] = None
    return sorted(extra)


# --- typos --------------------------------------------------------------------------------


def allowed_typos(word: str) -> int:
    """How many typos a query word may contain: none under 5 letters, one from 5, two from
    9; none in words with digits (postcodes, house numbers)."""
    if any(char.isdigit() for char in word):
        return 0
    if len(word) >= TWO_TYPOS_FROM:
        return 2
    return 1 if len(word) >= ONE_TYPO_FROM else 0


def typo_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein distance (insert, delete, substitute, swap two neighbours; each
    one typo), or `limit + 1` as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


# --- queries ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _synonym_phrases() -> tuple[frozenset[tuple[str, ...]], int]:
    """Every synonym term as a tuple of words, and the most words one has."""
    known = frozenset(tuple(term.split()) for group in synonym_groups() for term in group)
    return known, max((len(term) for term in known), default=1)


@dataclass(frozen=True, slots=True)
class QueryPart:
    """One thing a document must match: a word, or a phrase from the synonym list, with the
    terms that may stand in for it. Parts of a query combine with AND."""

    words: tuple[str, ...]
    prefix: bool  # the last word may be the start of a longer word (the user is typing)
    synonyms: tuple[tuple[str, ...], ...] = ()  # each a word or a phrase


def parse_query(q: str) -> list[QueryPart]:
    """Split what a user typed into parts. Synonym phrases are found first (longest
    first); stop words are dropped, so a query of only stop words matches everything; the
    last word is a prefix unless the query ends with a space."""
    q = query_text(q)
    tokens = words(q)
    if not tokens:
        return []
    groups = synonym_groups()
    known, longest = _synonym_phrases()
    phrases: list[tuple[str, ...]] = []
    index = 0
    while index < len(tokens):
        for size in range(min(longest, len(tokens) - index), 0, -1):
            candidate = tuple(tokens[index : index + size])
            if size == 1 or candidate in known:
                phrases.append(candidate)
                index += size
                break
    typing = not q[-1:].isspace()
    parts = []
    for position, phrase in enumerate(phrases):
        if len(phrase) == 1 and phrase[0] in stop_words():
            continue
        joined = " ".join(phrase)
        # A term listed in two groups finds the terms of both.
        alternatives = {
            tuple(term.split()): None
            for group in groups
            if joined in group
            for term in group
            if term != joined
        }
        is_last = position == len(phrases) - 1
        parts.append(QueryPart(phrase, typing and is_last, tuple(alternatives)))
    return parts
