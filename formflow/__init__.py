"""formflow: citizen e-service flows for Swedish healthcare regions, as source code."""

__version__ = "0.1.0"
