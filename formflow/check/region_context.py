"""The region a flow is checked against: its loaded region.yaml, or why there is none.

Booking outcomes name appointment types, clinics, terms texts and handoffs that live in the
region's configuration, so the checker needs it. The API finds it (the folder holding region.yaml
above the flow, see `api.region_context_of`) and hands it in; the checker itself never touches
the file system. A missing or broken region.yaml is not an exception but a diagnostic (FF718),
reported once, at the flow's first booking declaration.
"""

from __future__ import annotations

from dataclasses import dataclass

from formflow.region.model import Region


@dataclass(frozen=True)
class RegionContext:
    folder: str  # the region's folder name ("halland"), for messages
    region: Region | None  # None: region.yaml has errors (reported by `formflow region check`)
    path: str = "region.yaml"  # how the file is shown in messages
