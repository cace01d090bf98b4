"""What the benchmark smoke tests share: checking that figures are there and sane."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


def assert_positive(figures: Mapping[str, object], keys: Iterable[str]) -> None:
    """Every one of ``keys`` is in ``figures`` and is a finite number above zero."""
    for key in keys:
        assert key in figures, f"no figure {key!r} in {sorted(figures)}"
        value = figures[key]
        assert isinstance(value, int | float) and not isinstance(value, bool), (key, value)
        assert math.isfinite(value) and value > 0, (key, value)
