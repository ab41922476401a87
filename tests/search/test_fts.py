"""The embedded engine's query language: vocabulary look-ups and FTS5 expressions (pure)."""

from search.fts import MAX_CORRECTIONS, Vocabulary, in_column, match_expression, outside_column
from search.text import parse_query

WORDS = {
    "autisme": 40,
    "autist": 3,
    "dagbesteding": 25,
    "dagbehandeling": 10,
    "zorg": 90,
    "zorgboerderij": 2,
    "3011": 1,
}


def test_corrections_come_from_the_vocabulary_nearest_first() -> None:
    vocabulary = Vocabulary(WORDS)
    assert vocabulary.corrections("autsime") == ["autisme"]
    assert vocabulary.corrections("dagbestedign") == ["dagbesteding"]
    assert vocabulary.corrections("zorh") == []  # too short for a typo
    assert vocabulary.corrections("autisme") == []  # the word itself is no correction


def test_corrections_are_capped() -> None:
    many = {f"autisme{letter}": 1 for letter in "abcdefghijklmnopqrstuvwxyz"}
    assert len(Vocabulary(many).corrections("autismex")) == MAX_CORRECTIONS


def test_a_typo_must_leave_the_first_letter_alone() -> None:
    def corrects(typed: str, indexed: str) -> bool:
        return Vocabulary({indexed: 1}).corrections(typed) == [indexed]

    assert corrects("autsime", "autisme")
    assert not corrects("putisme", "autisme")
    assert not corrects("zorh", "zorg")  # under five letters: exact only
    assert corrects("dagbsteidng", "dagbesteding")  # two typos from nine letters
    assert not corrects("atsime", "autisme")  # two typos in seven letters


def test_prefix_corrections_are_beginnings_of_longer_words() -> None:
    vocabulary = Vocabulary(WORDS)
    assert "dagbested" in vocabulary.prefix_corrections("dagbsted")
    assert vocabulary.starts_a_word("dagbe")
    assert not vocabulary.starts_a_word("dagx")


def test_adding_words_leaves_the_original_alone() -> None:
    vocabulary = Vocabulary(WORDS)
    assert vocabulary.prefix_corrections("epilepsei") == []
    larger = vocabulary.adding(["epilepsie", "autisme"])
    assert larger.corrections("epilepsei") == ["epilepsie"]
    assert vocabulary.corrections("epilepsei") == []
    assert len(larger) == len(vocabulary) + 1
    assert vocabulary.adding(["zorg"]) is vocabulary


def test_a_query_becomes_an_and_of_or_groups() -> None:
    expression = match_expression(parse_query("autsime dagbest"), Vocabulary(WORDS))
    assert expression == '("autsime" OR "autisme") AND "dagbest"*'


def test_synonym_phrases_are_alternatives_of_the_whole_part() -> None:
    expression = match_expression(parse_query("lvb "), None)
    assert expression == (
        '("lvb" OR "licht verstandelijke beperking" OR "licht verstandelijk beperkt")'
    )
    phrase = match_expression(parse_query("zeer moeilijk lerend "), None)
    assert phrase == '(("zeer" AND "moeilijk" AND "lerend") OR "zml" OR "zeer moeilijk lerende")'


def test_operators_and_quotes_in_a_query_stay_text() -> None:
    assert match_expression(parse_query('"zorg" OR NEAR('), None) == '"zorg" AND "or" AND "near"*'


def test_an_expression_can_be_kept_to_one_column_or_away_from_it() -> None:
    expression = '("autsime" OR "autisme") AND "dagbest"*'
    assert in_column(expression, "name") == '{name} : (("autsime" OR "autisme") AND "dagbest"*)'
    assert outside_column(expression, "name") == (
        '(("autsime" OR "autisme") AND "dagbest"*) NOT '
        '{name} : (("autsime" OR "autisme") AND "dagbest"*)'
    )
