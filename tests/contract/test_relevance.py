"""Free text: what a user types finds what they meant.

The text engines (embedded FTS5 and Meilisearch) promise typo tolerance (none under 5
letters, one from 5, two from 9; never on the first letter), prefix search, diacritics
ignored, the shared synonyms (search/data/synonyms.txt), compound hints
(search/data/compounds.txt) and Dutch stop words. Each row is (query, N, offers that must be
among the first N, offers that must not be found at all). Query words combine with AND.

The database fallback has no typos and no synonyms: each word must occur in the text (case
and diacritics ignored); its table lists the exact answer, in id order.
"""

from __future__ import annotations

import pytest

from search.backend import SearchBackend
from search.query import SearchQuery
from tests.conftest import NOW
from tests.contract.fixture import ALL_IDS, search_all

RELEVANCE_CASES: list[tuple[str, int, set[int], set[int]]] = [
    # plain words; a match in the name ranks above one in the description (11)
    ("autisme", 3, {11, 13, 29}, {1, 9, 22}),
    ("autisme", 2, {13, 29}, set()),
    ("Autisme", 3, {11, 13, 29}, {1, 9, 22}),
    ("dagbesteding", 3, {9, 11, 37}, {13}),
    ("crisisopvang", 1, {14}, {9, 13}),
    ("epilepsie", 1, {7}, {8, 40}),
    ("gezinshuis", 1, {15}, {16}),
    # typos
    ("autsime", 3, {11, 13, 29}, {1, 9}),  # two letters swapped: one typo
    ("autismee", 3, {11, 13, 29}, {1, 9}),  # one letter too many
    ("dagbestedng", 5, {9, 11, 37}, {13}),  # one letter missing
    ("dagbestedign", 5, {9, 11, 37}, {13}),  # swapped near the end
    ("regenbog", 2, {9, 10}, {1}),
    ("crisisopvnag", 1, {14}, {9}),
    ("gezinhuis", 1, {15}, {16}),
    ("outisme", 0, set(), {11, 13, 29}),  # never a typo in the first letter
    ("tas", 0, set(), {4, 5}),  # no typo in words under 5 letters ("tos")
    ("epilapsie", 1, {7}, {8}),  # two typos from 9 letters
    ("epalapsio", 0, set(), {7}),  # but not three
    # prefixes: the last word may be unfinished
    ("dagbest", 5, {8, 9, 11, 28, 37}, {13}),
    ("crisis", 1, {14}, {9}),
    ("regen", 2, {9, 10}, {1}),
    ("epilep", 1, {7}, {8}),
    ("jeugdhulp crisi", 1, {14}, {13, 9}),
    # diacritics, case, apostrophes and hyphens
    ("cafe", 2, {9, 10}, {1}),
    ("café", 2, {9, 10}, {1}),
    ("CAFÉ de regenboog", 2, {9, 10}, {1, 12}),
    ("buurtcafe", 1, {9}, {10}),
    ("s hertogenbosch", 3, {17, 18, 38}, {1, 7}),
    ("'s-Hertogenbosch", 3, {17, 18, 38}, {1, 7}),
    ("hertogenbosch", 3, {17, 18, 38}, {1, 7}),
    ("jeugd-ggz", 1, {17}, {13}),
    # synonyms (search/data/synonyms.txt)
    ("tos", 2, {4, 5}, {13}),
    ("taalontwikkelingsstoornis", 2, {4, 5}, {13}),
    ("ggz", 3, {17, 18, 19}, {13}),
    ("jeugdggz", 3, {17, 18, 19}, {13}),
    ("ass", 3, {11, 13, 29}, {9}),
    ("zml", 1, {7}, {8}),
    ("slechthorend", 1, {4}, {5}),
    ("oza", 1, {22}, {23}),
    ("bso+", 2, {10, 36}, {9}),
    ("overbrugging", 1, {12}, {11}),
    # compounds (search/data/compounds.txt)
    ("boerderij", 2, {11, 12}, {9}),
    ("dagbesteding boerderij", 1, {11}, {9, 12, 13}),
    ("opvang", 3, {10, 14, 36}, {9}),
    # stop words are ignored
    ("de zorgboerderij", 2, {11, 12}, {1, 22}),
    ("het autisme", 3, {11, 13, 29}, {22, 35}),
    ("autisme bij de zorgboerderij", 1, {11}, {13, 29}),
]


@pytest.mark.parametrize(
    ("q", "top", "first", "absent"),
    [
        pytest.param(q, top, first, absent, id=f"{q} top {top}")
        for q, top, first, absent in RELEVANCE_CASES
    ],
)
def test_text_finds_what_was_meant(
    text_engine: SearchBackend, q: str, top: int, first: set[int], absent: set[int]
) -> None:
    found = search_all(text_engine, SearchQuery(q=q))
    assert first <= set(found[:top]), f"first {top} of {found}"
    assert not absent & set(found), f"found {found}"


def test_a_query_of_only_stop_words_finds_everything(text_engine: SearchBackend) -> None:
    assert sorted(search_all(text_engine, SearchQuery(q="de het"))) == list(ALL_IDS)


SUBSTRING_CASES: list[tuple[str, list[int]]] = [
    ("autisme", [11, 13, 29]),
    ("AUTISME", [11, 13, 29]),
    ("Café", [9, 10]),
    ("cafe", [9, 10]),
    ("buurtcafe", [9]),
    ("regenboog", [9, 10]),
    ("'s-Hertogenbosch", [17, 18, 38]),
    ("hertogenbosch", [17, 18, 38]),
    ("boerderij", [11, 12]),  # inside a word
    ("dagbest", [8, 9, 11, 28, 37]),  # the start of a word
    ("dagbesteding boerderij", [11]),  # every word, anywhere
    ("de zorgboerderij", [11, 12]),  # stop words ignored
    ("crisis", [14]),
    ("ggz", [17, 18, 19]),
    ("taalontwikkelingsstoornis", [4]),  # no synonyms: 5 says "TOS"
    ("tos", [5]),
    ("autsime", []),  # no typos
    ("de het", list(ALL_IDS)),  # only stop words: no text condition
]


@pytest.mark.parametrize(
    ("q", "expected"), [pytest.param(q, expected, id=q) for q, expected in SUBSTRING_CASES]
)
def test_the_database_fallback_matches_substrings(
    substring_backend: SearchBackend, q: str, expected: list[int]
) -> None:
    assert search_all(substring_backend, SearchQuery(q=q)) == expected


# Operator syntax means nothing here: every backend reads the same plain words.
PLAIN_WORDS = [
    ("-zorgboerderij", "zorgboerderij"),
    ('"dagbesteding boerderij"', "dagbesteding boerderij"),
    ("^autisme", "autisme"),
    ("autisme*", "autisme"),
]


@pytest.mark.parametrize(("typed", "plain"), PLAIN_WORDS, ids=[typed for typed, _ in PLAIN_WORDS])
def test_search_syntax_is_read_as_plain_words(
    backend: SearchBackend, typed: str, plain: str
) -> None:
    as_typed = backend.search(SearchQuery(q=typed, per_page=100), NOW)
    as_plain = backend.search(SearchQuery(q=plain, per_page=100), NOW)
    assert [hit.id for hit in as_typed.items] == [hit.id for hit in as_plain.items]
    assert as_typed.facets == as_plain.facets


def test_words_after_the_tenth_are_ignored(backend: SearchBackend) -> None:
    ten = " ".join(["autisme"] * 10)
    assert (
        backend.search(SearchQuery(q=f"{ten} xyzzyq"), NOW).total
        == backend.search(SearchQuery(q=ten), NOW).total
    )
