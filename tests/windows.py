"""Counting calls the way a sliding-window rate limit sees them."""
from __future__ import annotations


def max_in_window(times: list[float], span: float) -> int:
    """The most of `times` that fall within any `span` seconds (what a sliding window would count)."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - span:
            lo += 1
        best = max(best, hi - lo + 1)
    return best
