"""The one error vocabulary: domain errors carry an HTTP-like status but no HTTP code.

The JSON API renders them as problem+json, the pages as a page in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class InvalidParam:
    """One bad input: the field (or file line and column) and why it is refused."""

    name: str
    reason: str


@dataclass
class DirectoryError(Exception):
    """A failure the user can act on; `status` says which HTTP status fits it."""

    title: str
    detail: str = ""
    status: int = 400
    invalid_params: list[InvalidParam] = field(default_factory=list)
    type: str = "about:blank"
    headers: dict[str, str] = field(default_factory=dict)
    # Extra members of the problem document (RFC 9457 extensions), JSON-ready.
    extensions: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [f"{self.title}: {self.detail}" if self.detail else self.title]
        lines += [f"  {param.name}: {param.reason}" for param in self.invalid_params]
        return "\n".join(lines)


class InvalidDataError(DirectoryError):
    """Input that breaks a rule (422), with each bad field in `invalid_params`."""

    def __init__(self, detail: str, invalid_params: list[InvalidParam] | None = None) -> None:
        super().__init__(
            title="Invalid data", detail=detail, status=422, invalid_params=invalid_params or []
        )


class NotFoundError(DirectoryError):
    """Also what another organisation's resources look like: their existence is not told."""

    def __init__(self, what: str) -> None:
        super().__init__(title="Not found", detail=f"{what} does not exist", status=404)


class ConflictError(DirectoryError):
    """A change that the current state does not allow (409)."""

    def __init__(self, detail: str) -> None:
        super().__init__(title="Conflict", detail=detail, status=409)
