"""Colours and shapes of outcome nodes, shared by both formats.

Colour follows the urgency scale of the flow's region, most urgent first: the most urgent level
(and every `emergency`) is red, the least urgent grey. Colour alone fails in black and white and
for colour-blind readers, so emergencies also get a distinct shape and a "⚠" in their label,
and every outcome names its kind and urgency in text.
"""

from __future__ import annotations

PALETTE = (  # (fill, text) from most to least urgent
    ("#d62728", "#ffffff"),  # red
    ("#ff7f0e", "#000000"),  # orange
    ("#ffd92f", "#000000"),  # yellow
    ("#2ca02c", "#ffffff"),  # green
    ("#1f77b4", "#ffffff"),  # blue
    ("#bdbdbd", "#000000"),  # grey
)


def colour(tone: int, levels: int) -> tuple[str, str]:
    """(fill, text colour) of the urgency level at index `tone` on a scale of `levels` levels."""
    if tone <= 0 or levels <= 1:
        return PALETTE[0]
    last = len(PALETTE) - 1
    return PALETTE[max(1, round(tone * last / (levels - 1)))]
