"""axe-core in the page under test: WCAG 2.0 and 2.1, levels A and AA.

axe-core comes from npm (package-lock.json; `npm ci`, which scripts/test-meilisearch.sh
runs on a fresh clone). Usage, after ``page.goto(...)``: ``assert_accessible(page)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.e2e.live import missing_component

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]  # CSS selectors of the offending elements

    def __str__(self) -> str:
        lines = [f"{self.rule} ({self.impact}): {self.help} <{self.help_url}>"]
        lines += [f"    {target}" for target in self.targets]
        return "\n".join(lines)


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        missing_component(f"axe-core is not installed at {AXE_SCRIPT}: run `npm ci`")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[Violation]:
    """Run axe on the page as it is now and return what breaks WCAG 2.1 AA."""
    # Evaluated through the DevTools protocol, so a strict CSP on the page does not block
    # it (a <script> tag would be).
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_21_AA)},
        "resultTypes": ["violations"],
    }
    results: dict[str, Any] = page.evaluate("options => axe.run(document, options)", options)
    return [
        Violation(
            rule=violation["id"],
            impact=violation.get("impact") or "unknown",
            help=violation["help"],
            help_url=violation["helpUrl"],
            targets=tuple(_selector(node["target"]) for node in violation["nodes"]),
        )
        for violation in results["violations"]
    ]


def assert_accessible(page: Page) -> None:
    """Fail with one readable entry per broken rule and the elements that break it."""
    violations = axe_violations(page)
    assert not violations, f"axe: {len(violations)} WCAG 2.1 AA violation(s) on {page.url}\n" + (
        "\n".join(str(violation) for violation in violations)
    )


def _selector(target: list[Any]) -> str:
    # A target is a list of selectors, one per frame or shadow root on the way down.
    return " >>> ".join(" ".join(part) if isinstance(part, list) else part for part in target)
