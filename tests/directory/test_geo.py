import pytest

from directory.geo import distance_km, find_place, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Rotterdam", "Rotterdam"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("s hertogenbosch", "'s-Hertogenbosch"),
        ("Den Haag", "The Hague"),
        ("UTRECHT", "Utrecht"),
    ],
)
def test_places_are_found_offline_by_name(typed: str, expected: str) -> None:
    place = find_place(typed)
    assert place is not None
    assert place.name == expected


def test_a_repeated_place_name_means_the_municipality_of_that_name() -> None:
    oosterhout = find_place("Oosterhout")
    assert oosterhout is not None
    assert oosterhout.province == "North Brabant"


def test_an_unknown_place_is_not_guessed() -> None:
    assert find_place("Atlantis") is None


def test_distance_rotterdam_utrecht_is_about_48_km() -> None:
    rotterdam, utrecht = find_place("Rotterdam"), find_place("Utrecht")
    assert rotterdam
    assert utrecht
    assert distance_km(rotterdam.lat, rotterdam.lon, utrecht.lat, utrecht.lon) == pytest.approx(
        47.8, abs=0.5
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3011 AB", "3011AB"),
        ("3011ab", "3011AB"),
        (" 1012JS ", "1012JS"),
        ("0123AB", None),
        ("3011 SS", None),
        ("3011", None),
        ("30111AB", None),
    ],
)
def test_postcodes_are_normalised_and_unissued_ones_refused(
    typed: str, expected: str | None
) -> None:
    assert normalise_postcode(typed) == expected
