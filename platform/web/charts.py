"""Helpers for the charts the pages draw on the server as SVG (macros/charts.html): no script, nothing loaded."""
import math


def axis_ticks(highest: float, count: int = 4) -> list[int]:
    """The values marked on a value axis from 0 up to at least `highest`: about `count` steps of 1, 2 or 5 times
    a power of ten, whole numbers (the charts show counts and whole euros). An empty chart gets 0 and 1."""
    if highest <= 0:
        return [0, 1]
    rough = highest / count
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(multiple * magnitude for multiple in (1, 2, 5, 10) if multiple * magnitude >= rough)
    return [step * index for index in range(math.ceil(highest / step) + 1)]
