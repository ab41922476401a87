"""A fixed-window request counter per key, kept in this process.

Each web worker counts on its own, so with N workers a client can make up to N times the
limit; the limit is a guard against runaway clients and code guessing, not billing.
"""

from __future__ import annotations

import math
import threading
from datetime import datetime

from starlette.requests import Request

from directory.errors import DirectoryError
from web.kit.http import client_address, now_of

WINDOW_SECONDS = 60.0


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._windows: dict[str, tuple[int, int]] = {}  # key -> (window number, count)
        self._lock = threading.Lock()

    def hit(self, key: str, now: datetime) -> None:
        """Count one request; 429 with Retry-After once `key` is over its limit."""
        moment = now.timestamp()
        window = int(moment // WINDOW_SECONDS)
        with self._lock:
            current, count = self._windows.get(key, (window, 0))
            if current != window:
                count = 0
                if len(self._windows) > 100_000:  # forget old windows now and then
                    self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
            count += 1
            self._windows[key] = (window, count)
        if count > self.per_minute:
            retry_after = math.ceil((window + 1) * WINDOW_SECONDS - moment)
            raise DirectoryError(
                title="Too Many Requests",
                detail=f"at most {self.per_minute} requests per minute; try again later",
                status=429,
                headers={"Retry-After": str(max(1, retry_after))},
            )


def count_public_read(request: Request) -> None:
    """Count a public read (the search, an offer, the signals, the pages) against the
    caller's address: 429 with Retry-After past `PLEKWIJZER_PUBLIC_RATE_PER_MINUTE`."""
    limiter: RateLimiter = request.app.state.public_limiter
    limiter.hit(f"ip:{client_address(request)}", now_of(request))
