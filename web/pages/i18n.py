"""Languages of the pages: Dutch (the source text, B1) and English from a message catalogue.

The English catalogue is `web/translations/en/LC_MESSAGES/messages.po`, read at start-up,
so there is no compiled file to forget. `pybabel extract -F babel.cfg` finds every text
(see docs/pages.md); a test checks that each one is translated.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "plekwijzer_lang"
CATALOGUES = Path(__file__).parents[1] / "translations"


def N_(message: str) -> str:  # noqa: N802 (the gettext convention for "translate later")
    """Marks a text for the catalogue where it is defined; it is translated when shown."""
    return message


@cache
def translations(lang: str) -> NullTranslations:
    """The catalogue for `lang`; Dutch is the source text and needs none."""
    if lang == DEFAULT:
        return NullTranslations()
    path = CATALOGUES / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalogue = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)


def language_of(request: Request) -> tuple[str, bool]:
    """The visitor's language: `?lang=` when given (and then remembered in a cookie), else
    the remembered one, else Dutch. The flag says whether to (re)set the cookie."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked, asked != request.cookies.get(COOKIE)
    remembered = request.cookies.get(COOKIE)
    return (remembered if remembered in LANGUAGES else DEFAULT), False
