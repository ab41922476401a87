"""Imports point one way between the top-level packages (DESIGN.md, "The packages").

    web  ->  providers, search, sync  ->  directory

Within the middle layer only `sync` -> `search` exists, and it is allowed: the outbox relay
and the watch jobs write to and query the search index, while `search` knows nothing of
what runs later. `providers` and `search` stand alone beside each other. `directory` is
the catalogue: it imports none of the other four and no HTTP framework or client; the
provider and search packages import no Starlette (HTTP belongs to `web`).

Every import counts wherever it is written: at module level, inside a function or under
`if TYPE_CHECKING:`, and `importlib.import_module("...")` with a literal name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("directory", "providers", "search", "sync", "web")

# Which other top-level packages each package may import (itself always).
ALLOWED: dict[str, frozenset[str]] = {
    "directory": frozenset(),
    "providers": frozenset({"directory"}),
    "search": frozenset({"directory"}),
    "sync": frozenset({"directory", "search"}),
    "web": frozenset({"directory", "providers", "search", "sync"}),
}
# Third-party libraries a package must not import: HTTP stays in `web`.
HTTP_FRAMEWORKS = frozenset({"starlette", "uvicorn", "httpx", "httpx2"})
FORBIDDEN_LIBRARIES: dict[str, frozenset[str]] = {
    "directory": HTTP_FRAMEWORKS,
    "providers": frozenset({"starlette"}),
    "search": frozenset({"starlette"}),
}
DYNAMIC_IMPORTS = frozenset({"import_module", "__import__"})


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement: the file and line it is on, and the module it names."""

    path: str
    line: int
    module: str

    @property
    def top(self) -> str:
        return self.module.partition(".")[0]


@dataclass(frozen=True, slots=True)
class Violation:
    """An import a package must not make."""

    importer: str  # the top-level package of the importing file
    found: Import

    def __str__(self) -> str:
        where = f"{self.found.path}:{self.found.line}: {self.importer} -> {self.found.top}"
        if self.found.top in ALLOWED:
            allowed = ", ".join(sorted(ALLOWED[self.importer])) or "none of the others"
            why = f"{self.importer} may import {allowed}"
        else:
            why = f"{self.importer} imports no {self.found.top}: HTTP belongs to web"
        return f"{where} (import of {self.found.module}; {why})"


def module_name(path: Path) -> str:
    """`directory/catalogue/rules.py` -> `directory.catalogue.rules` (a package: its
    `__init__` dropped)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(source: str, module: str, path: str, *, is_package: bool = False) -> list[Import]:
    """Every module `source` imports, relative imports resolved against `module`."""
    # The package a relative import starts from: a package's own name, else its parent.
    here = module.split(".") if is_package else module.split(".")[:-1]
    found: list[Import] = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append(Import(path, node.lineno, target))
        elif (
            isinstance(node, ast.Call)
            and _called_name(node.func) in DYNAMIC_IMPORTS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(Import(path, node.lineno, node.args[0].value))
    return found


def _called_name(function: ast.expr) -> str | None:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def wrong_way(importer: str, found: list[Import]) -> list[Violation]:
    """The imports of a file in package `importer` that break the matrix or name a library
    the package must not use."""
    return [
        Violation(importer, item)
        for item in found
        if (item.top in ALLOWED and item.top != importer and item.top not in ALLOWED[importer])
        or item.top in FORBIDDEN_LIBRARIES.get(importer, frozenset())
    ]


def package_files() -> dict[str, list[Path]]:
    return {
        package: sorted(
            path for path in (ROOT / package).rglob("*.py") if "node_modules" not in path.parts
        )
        for package in PACKAGES
    }


def violations_in_tree() -> list[Violation]:
    found: list[Violation] = []
    for package, paths in package_files().items():
        for path in paths:
            imports = imports_in(
                path.read_text(encoding="utf-8"),
                module_name(path),
                str(path.relative_to(ROOT)),
                is_package=path.name == "__init__.py",
            )
            found += wrong_way(package, imports)
    return found


# --- the project ---------------------------------------------------------------------------


def test_the_check_reads_every_package() -> None:
    files = package_files()
    assert all(files[package] for package in PACKAGES), files


def test_imports_point_from_web_down_to_directory_only() -> None:
    wrong = [str(item) for item in violations_in_tree() if item.found.top in ALLOWED]
    assert not wrong, "imports against the layer direction:\n" + "\n".join(wrong)


def test_directory_providers_and_search_import_no_http_framework() -> None:
    wrong = [str(item) for item in violations_in_tree() if item.found.top not in ALLOWED]
    assert not wrong, "HTTP framework imports outside web:\n" + "\n".join(wrong)


# --- the check itself ----------------------------------------------------------------------


def check(importer_module: str, source: str) -> list[str]:
    """The wrong-way imports of a made-up module, as `package -> package` pairs."""
    importer = importer_module.partition(".")[0]
    found = imports_in(source, importer_module, "made_up.py")
    return [f"{item.importer} -> {item.found.top}" for item in wrong_way(importer, found)]


def test_the_check_flags_an_upward_import_wherever_it_is_written() -> None:
    source = """
from typing import TYPE_CHECKING
import importlib

from directory.db import Base

if TYPE_CHECKING:
    from web.app import App

def later():
    import sync.relay
    return importlib.import_module("providers.bulk")
"""
    assert check("directory.catalogue.rules", source) == [
        "directory -> web",
        "directory -> sync",
        "directory -> providers",
    ]


def test_the_check_flags_imports_between_neighbours_that_do_not_exist_today() -> None:
    assert check("search.service", "from sync.relay import relay") == ["search -> sync"]
    assert check("providers.bulk", "import search.query") == ["providers -> search"]
    assert check("sync.relay", "from providers import bulk") == ["sync -> providers"]
    assert check("sync.relay", "from web import app") == ["sync -> web"]
    assert check("sync.relay", "from search.backend import SearchBackend") == []


def test_the_check_flags_an_http_framework_in_the_lower_packages() -> None:
    assert check("directory.errors", "from starlette.requests import Request") == [
        "directory -> starlette"
    ]
    assert check("directory.jobs", "import uvicorn\nimport httpx") == [
        "directory -> uvicorn",
        "directory -> httpx",
    ]
    assert check("providers.bulk", "from starlette.responses import Response") == [
        "providers -> starlette"
    ]
    assert check("search.service", "from starlette.responses import Response") == [
        "search -> starlette"
    ]
    assert check("web.app", "from starlette.applications import Starlette") == []


def test_a_wrong_way_file_in_the_tree_is_reported_with_file_line_and_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "sync" / "relay.py").write_text("import os\nfrom web.app import create_app\n")
    (tmp_path / "directory" / "jobs.py").write_text("def run():\n    import uvicorn\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert sorted(str(violation) for violation in violations_in_tree()) == [
        "directory/jobs.py:2: directory -> uvicorn "
        "(import of uvicorn; directory imports no uvicorn: HTTP belongs to web)",
        "sync/relay.py:2: sync -> web (import of web.app; sync may import directory, search)",
    ]


@pytest.mark.parametrize(
    ("module", "source", "is_package", "expected"),
    [
        ("directory.signals.rules", "from . import wording", False, "directory.signals"),
        ("directory.signals.rules", "from ..catalogue import rules", False, "directory.catalogue"),
        ("directory", "from .db import Base", True, "directory.db"),
        ("directory.signals", "from .rules import evaluate", True, "directory.signals.rules"),
    ],
)
def test_relative_imports_resolve_inside_their_own_package(
    module: str, source: str, is_package: bool, expected: str
) -> None:
    [found] = imports_in(source, module, "made_up.py", is_package=is_package)
    assert found.module == expected
