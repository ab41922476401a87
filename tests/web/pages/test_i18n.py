"""Every text the pages show has an English translation, and the translations keep the
placeholders the code fills in."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extracted() -> set[str | tuple[str, ...]]:
    """The msgids in the code and templates, as `pybabel extract -F babel.cfg` finds them."""
    method_map = [("web/**.py", "python"), ("web/templates/pages/**.html", "jinja2")]
    options = {"web/templates/pages/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options, keywords=keywords
    ):
        found.add(message)
    return found


def test_every_page_text_has_an_english_translation() -> None:
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    translated = {message.id for message in catalogue if message.id and all(message.string)}
    untranslated = {text if isinstance(text, str) else text[0] for text in extracted()} - {
        text if isinstance(text, str) else text[0] for text in translated
    }
    assert not untranslated, "run the catalogue update in docs/pages.md and translate these"


def test_translations_keep_their_placeholders() -> None:
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    for message in catalogue:
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        targets = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(PLACEHOLDER.findall(" ".join(sources)))
        for target in targets:
            assert set(PLACEHOLDER.findall(target)) == wanted, message.id
