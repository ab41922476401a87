from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.errors import InvalidDataError
from directory.reference import import_municipalities, load_reference_data
from directory.reference.models import (
    Cluster,
    IjwCategory,
    Jeugdregio,
    Municipality,
    Swv,
    swv_municipality,
)


def test_shipped_reference_data_has_the_codes_the_catalogue_uses(session: Session) -> None:
    assert session.scalars(select(IjwCategory.code).order_by(IjwCategory.code)).all() == list(
        range(40, 56)
    )
    assert session.get_one(IjwCategory, 45).name == "Jeugdhulp ambulant"
    assert session.scalars(select(Cluster.number).order_by(Cluster.number)).all() == [1, 2, 3, 4]
    rotterdam = session.get_one(Municipality, "GM0599")
    assert (rotterdam.name, rotterdam.province_code) == ("Rotterdam", "PV28")
    assert session.get_one(Municipality, "GM0344").name == "Utrecht"
    assert session.get_one(Municipality, "GM0518").name == "'s-Gravenhage"


def test_merged_municipalities_point_at_their_successor(session: Session) -> None:
    brielle = session.get_one(Municipality, "GM0501")
    assert (brielle.valid_to, brielle.successor_code) == (2022, "GM1992")
    assert session.get_one(Municipality, "GM1992").valid_to is None


def test_a_samenwerkingsverband_spans_several_municipalities(session: Session) -> None:
    koers_vo = session.get_one(Swv, "VO-28-12")
    members = session.scalars(
        select(swv_municipality.c.municipality_code).where(
            swv_municipality.c.swv_code == koers_vo.code
        )
    ).all()
    assert "GM0599" in members
    assert len(members) > 1


def test_loading_reference_data_again_keeps_what_an_operator_imported(
    session: Session, tmp_path: Path
) -> None:
    before = session.scalar(select(func.count()).select_from(Municipality))
    corrected = tmp_path / "gemeenten.csv"
    corrected.write_text(
        "code,name,jeugdregio_code,jeugdregio_name\nGM0599,Rotterdam,JZ99,Rijnmond (officieel)\n"
    )
    import_municipalities(session, corrected)
    load_reference_data(session)  # as on every start
    assert session.scalar(select(func.count()).select_from(Municipality)) == before
    assert session.get_one(Municipality, "GM0599").jeugdregio_code == "JZ99"
    assert session.get_one(Jeugdregio, "JZ99").name == "Rijnmond (officieel)"


def test_cbs_list_with_semicolons_is_imported(session: Session, tmp_path: Path) -> None:
    cbs = tmp_path / "gemeenten.csv"
    cbs.write_text(
        "\ufeffGemeentecode;GemeentecodeGM;Gemeentenaam;Provinciecode;ProvinciecodePV;Provincienaam\n"
        "0014;GM0014;Groningen;20;PV20;Groningen\n"
        "0599;GM0599;Rotterdam;28;PV28;Zuid-Holland\n",
        encoding="utf-8",
    )
    assert import_municipalities(session, cbs) == 2
    groningen = session.get_one(Municipality, "GM0014")
    assert (groningen.name, groningen.province_code) == ("Groningen", "PV20")
    assert groningen.lat == pytest.approx(53.2, abs=0.1)  # looked up by name, offline
    # What the CBS list does not say (the jeugdregio) is kept.
    assert session.get_one(Municipality, "GM0599").jeugdregio_code is not None


def test_a_bad_row_rejects_the_whole_file_naming_line_and_column(
    session: Session, tmp_path: Path
) -> None:
    bad = tmp_path / "gemeenten.csv"
    bad.write_text(
        "code,name,province_code\nGM0014,Groningen,PV20\nGM99,Nergens,PV20\nGM0015,,PV40\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidDataError) as raised:
        import_municipalities(session, bad)
    assert [param.name for param in raised.value.invalid_params] == [
        "line 3: code",
        "line 4: name",
        "line 4: province_code",
    ]
    assert session.get(Municipality, "GM0014") is None


def test_a_file_without_a_code_column_is_refused(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "gemeenten.csv"
    bad.write_text("naam\nGroningen\n", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="no column for code and name"):
        import_municipalities(session, bad)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("code,name,jeugdregio_code\nGM0014,Groningen,JZ77\n", "line 2: jeugdregio_code"),
        ("code,name\nGM0014,Groningen\nGM0014,Groningen\n", "line 3: code"),
        ("code,name,lat,lon\nGM0014,Groningen,nan,6.5\n", "line 2: lat"),
        ("code,name,successor_code\nGM0014,Groningen,GM9999\n", "GM0014"),
        ("code,name\n\u0660\u0660\u0661\u0664,Groningen\n", "line 2: code"),
        ("code,name,province_code\nGM0014,Groningen,\u00b2\u00b2\n", "line 2: province_code"),
    ],
    ids=[
        "unknown region",
        "duplicate",
        "not a number",
        "unknown successor",
        "arabic-indic digits",
        "superscript digits",
    ],
)
def test_suspicious_files_are_refused_whole(
    session: Session, tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "gemeenten.csv"
    path.write_text(content)
    with pytest.raises(InvalidDataError) as raised:
        import_municipalities(session, path)
    assert problem in [param.name for param in raised.value.invalid_params]
    assert session.get(Municipality, "GM0014") is None


def test_a_file_that_is_not_utf8_is_refused_with_advice(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "gemeenten.csv"
    path.write_bytes("code,name\nGM0014,Súdwest\n".encode("cp1252"))
    with pytest.raises(InvalidDataError, match="not UTF-8"):
        import_municipalities(session, path)


def test_columns_a_file_does_not_have_are_left_alone(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "gemeenten.csv"
    path.write_text("code,name\nGM0501,Brielle\n")
    import_municipalities(session, path)
    brielle = session.get_one(Municipality, "GM0501")
    assert (brielle.valid_to, brielle.successor_code) == (2022, "GM1992")
