"""mdptm: turn medical-device threat models into Public Threat Models (PTMs)."""

from __future__ import annotations

__version__ = "0.1.0"
