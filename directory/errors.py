"""The one error vocabulary: domain errors carry an HTTP-like status but no HTTP code.

The JSON API renders them as problem+json, the pages as a page in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class InvalidParam:
    name: str
    reason: str


@dataclass
class DirectoryError(Exception):
    title: str
    detail: str = ""
    status: int = 400
    invalid_params: list[InvalidParam] = field(default_factory=list)
    type: str = "about:blank"

    def __str__(self) -> str:
        lines = [f"{self.title}: {self.detail}" if self.detail else self.title]
        lines += [f"  {param.name}: {param.reason}" for param in self.invalid_params]
        return "\n".join(lines)


class InvalidDataError(DirectoryError):
    def __init__(self, detail: str, invalid_params: list[InvalidParam] | None = None) -> None:
        super().__init__(
            title="Invalid data", detail=detail, status=422, invalid_params=invalid_params or []
        )
