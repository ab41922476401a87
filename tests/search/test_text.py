"""The shared text rules: pure functions, no database."""

import pytest

from search.text import (
    QueryPart,
    allowed_typos,
    compound_words,
    normalise,
    parse_query,
    split_compound,
    stop_words,
    synonym_groups,
    synonyms,
    typo_distance,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'s-Hertogenbosch", "s hertogenbosch"),
        ("Café  Ünïcode", "cafe unicode"),
        ("BSO+ en Jeugd-GGZ", "bso en jeugd ggz"),
        ("Straße", "strasse"),
        ("  ", ""),
    ],
)
def test_normalising_ignores_case_diacritics_and_punctuation(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_stop_words_are_common_dutch_words_and_not_catalogue_terms() -> None:
    assert {"de", "het", "een", "van", "voor", "in"} <= stop_words()
    assert not {"geen", "kind", "so", "zorg", "autisme"} & stop_words()


def test_synonyms_find_each_other_both_ways() -> None:
    table = synonyms()
    assert "taalontwikkelingsstoornis" in table["tos"]
    assert "tos" in table["taalontwikkelingsstoornis"]
    assert {"geestelijke gezondheidszorg", "jeugd ggz", "kinder ggz"} <= set(table["ggz"])
    assert {"autisme", "autismespectrumstoornis"} <= set(table["ass"])
    assert "licht verstandelijke beperking" in table["lvb"]
    assert "zeer moeilijk lerend" in table["zml"]
    assert "buitenschoolse opvang plus" in table["bso"]  # "bso+" once normalised
    assert "dagactiviteiten" in table["dagbesteding"]


def test_synonym_terms_are_normalised_and_groups_have_no_duplicates() -> None:
    for group in synonym_groups():
        assert len(group) == len(set(group)) > 1
        assert all(term == normalise(term) for term in group)


def test_synonyms_returns_a_fresh_copy() -> None:
    synonyms()["tos"].append("nonsense")
    assert "nonsense" not in synonyms()["tos"]


@pytest.mark.parametrize(
    ("word", "typos"),
    [("tos", 0), ("zorg", 0), ("angst", 1), ("autisme", 1), ("boerderij", 2), ("3011ab", 0)],
)
def test_longer_words_allow_more_typos(word: str, typos: int) -> None:
    assert allowed_typos(word) == typos


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("autisme", "autisme", 0),
        ("autsime", "autisme", 1),  # two neighbours swapped
        ("autime", "autisme", 1),  # a letter left out
        ("autismme", "autisme", 1),  # a letter too many
        ("autosme", "autisme", 1),  # a wrong letter
        ("dagbestedign", "dagbesteding", 1),
        ("dgabesteidng", "dagbesteding", 2),
    ],
)
def test_typo_distance_counts_each_edit_once(a: str, b: str, distance: int) -> None:
    assert typo_distance(a, b, 2) == distance


def test_typo_distance_stops_at_its_limit() -> None:
    assert typo_distance("boerderij", "bureau", 1) == 2
    assert typo_distance("a", "abcdef", 2) == 3


def test_compounds_are_split_on_known_parts() -> None:
    assert split_compound("zorgboerderij") == ("boerderij", "zorg")
    assert set(split_compound("jeugdzorg")) == {"jeugd", "zorg"}
    assert "overbrugging" in split_compound("overbruggingszorg")
    assert split_compound("kinderen") == ()  # too little left after "kinder"
    assert split_compound("boerderij") == ()


def test_compound_words_adds_only_what_the_text_lacks() -> None:
    assert compound_words("zorgboerderij de hoeve en zorg") == ["boerderij"]


def test_a_query_is_split_into_words_with_the_last_one_a_prefix() -> None:
    assert parse_query("Autisme Rotterd") == [
        QueryPart(
            ("autisme",),
            prefix=False,
            synonyms=(("ass",), ("autismespectrumstoornis",), ("autismespectrum",)),
        ),
        QueryPart(("rotterd",), prefix=True),
    ]
    assert parse_query("rotterdam ")[-1].prefix is False


def test_synonym_phrases_in_a_query_stay_together() -> None:
    [part] = parse_query("licht verstandelijke beperking ")
    assert part.words == ("licht", "verstandelijke", "beperking")
    assert ("lvb",) in part.synonyms


def test_stop_words_are_dropped_from_queries() -> None:
    assert [part.words for part in parse_query("dagbesteding in de buurt")] == [
        ("dagbesteding",),
        ("buurt",),
    ]
    assert parse_query("de van het") == []
    assert parse_query("") == []
