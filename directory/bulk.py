"""Work over the whole catalogue in one process: the cyclic garbage collector paused while
it runs.

A full signal evaluation or a reindex builds hundreds of thousands of small objects (rows,
figures, candidates) that live until the work ends. Python's collector walks the growing
heap again and again meanwhile: at 100,000 offers that was 2 of the 5 seconds of a full
evaluation (measured with `gc.callbacks`, see docs/benchmarks.md). These objects hold no
reference cycles worth collecting early, so the collector waits until the work is done;
what it would have freed is freed then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (reference counting still frees
    what is no longer used), and run it as before afterwards. Nested use keeps it paused
    until the outermost block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
