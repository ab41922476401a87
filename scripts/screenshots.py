"""Full-page screenshots of the pages, 390 and 1280 px wide, in docs/screenshots/.

Serves the app with the demo catalogue from a throwaway database and photographs it in
Debian's chromium, exactly as the browser tests see it (tests/e2e/live.py). Add a page
to PAGES: (file name, path); the files are NAME-390.png and NAME-1280.png.

Usage: make screenshots
       .venv/bin/python -m scripts.screenshots [--out DIR] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tests.e2e.live import DESKTOP, MOBILE, chromium_missing, launch_chromium, live_server

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    ("home", "/"),
    ("results", "/zoeken?kind=youth_care&age=9&near=Rotterdam&gemeente=GM0599&sort=wait"),
    ("offer", "/aanbod/1?terug=gemeente%3DGM0599"),
    ("too-long", "/wachttijd-te-lang?gemeente=GM0599"),
]
VIEWPORTS = (MOBILE, DESKTOP)

console = Console(stderr=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="Just these pages.")
    args = parser.parse_args()
    pages = [(name, path) for name, path in PAGES if not args.only or name in args.only]
    if unknown := set(args.only or ()) - {name for name, _ in PAGES}:
        parser.error(f"no page named {', '.join(sorted(unknown))}")
    if reason := chromium_missing():
        console.print(reason, style="red", markup=False)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with (
        tempfile.TemporaryDirectory(prefix="plekwijzer-screenshots-") as directory,
        live_server(Path(directory)) as live,
        sync_playwright() as playwright,
        Progress(*columns, console=console) as progress,
    ):
        browser = launch_chromium(playwright)
        task = progress.add_task("Screenshots", total=len(pages) * len(VIEWPORTS))
        for viewport in VIEWPORTS:
            context = browser.new_context(base_url=live.url, viewport=viewport, locale="nl-NL")
            page = context.new_page()
            for name, path in pages:
                file = args.out / f"{name}-{viewport['width']}.png"
                progress.update(task, description=f"{path} at {viewport['width']} px")
                response = page.goto(path, wait_until="networkidle")
                if response is None or not response.ok:
                    status = response.status if response else "no response"
                    raise SystemExit(f"{path} answered {status}")
                page.screenshot(path=file, full_page=True)
                progress.advance(task)
            context.close()
        browser.close()
    console.print(f"{len(pages) * len(VIEWPORTS)} screenshots in {_shown(args.out)}")
    return 0


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


if __name__ == "__main__":
    sys.exit(main())
