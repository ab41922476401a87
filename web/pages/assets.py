"""The pages' style sheet: NL Design System parts (Utrecht component CSS and design tokens,
installed by `npm ci` in web/assets) and our own rules, bundled once at start-up.

The bundle is served under a name with its content hash, so browsers may keep it forever
and a new release is fetched at once.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ASSETS = Path(__file__).parents[1] / "assets"
PACKAGES = ASSETS / "node_modules" / "@utrecht"
OWN_CSS = Path(__file__).parents[1] / "static" / "plekwijzer.css"
# Only the components the templates use, so a page does not load the whole library.
COMPONENTS = (
    "root",
    "document",
    "skip-link",
    "page-layout",
    "page-header",
    "page-body",
    "page-content",
    "page-footer",
    "heading-1",
    "heading-2",
    "heading-3",
    "paragraph",
    "link",
    "unordered-list",
    "button",
    "button-group",
    "form-fieldset",
    "form-field",
    "form-label",
    "form-field-description",
    "form-field-error-message",
    "textbox",
    "select",
    "checkbox",
    "alert",
    "status-badge",
    "data-list",
    "table",
    "pagination",
    "breadcrumb-nav",
    "separator",
)


@dataclass(frozen=True, slots=True)
class StyleSheet:
    css: bytes
    name: str  # "site-<hash>.css"
    complete: bool  # False when the NL Design System packages are not installed


def build_style_sheet() -> StyleSheet:
    """The tokens, the components and our own rules, in that order (ours win)."""
    parts: list[bytes] = []
    missing: list[str] = []
    tokens = PACKAGES / "design-tokens" / "dist" / "theme.css"
    for path in (
        tokens,
        *(PACKAGES / f"{name}-css" / "dist" / "index.min.css" for name in COMPONENTS),
    ):
        if path.is_file():
            parts.append(path.read_bytes())
        else:
            missing.append(str(path.relative_to(ASSETS)))
    if missing:
        log.warning(
            "NL Design System styles missing (%s...): run `make install`; pages use "
            "Plekwijzer's own styles only",
            missing[0],
        )
    parts.append(OWN_CSS.read_bytes())
    css = b"\n".join(parts)
    digest = hashlib.sha256(css).hexdigest()[:12]
    return StyleSheet(css=css, name=f"site-{digest}.css", complete=not missing)
