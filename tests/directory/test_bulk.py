"""Whole-catalogue work pauses the cyclic garbage collector and always gives it back."""

import gc

import pytest

from directory.bulk import collector_paused


def work_that_fails(seen: list[bool]) -> None:
    with collector_paused():
        seen.append(gc.isenabled())
        with collector_paused():
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())  # the outer block still holds it
        raise RuntimeError("the work failed")


def test_the_collector_is_paused_inside_and_running_again_after_a_failure() -> None:
    assert gc.isenabled()
    seen: list[bool] = []
    with pytest.raises(RuntimeError):
        work_that_fails(seen)
    assert seen == [False, False, False]
    assert gc.isenabled()
