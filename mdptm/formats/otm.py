"""The Open Threat Model names both directions agree on: what the exporter writes, the importer reads back."""

from __future__ import annotations

# attributes the OTM exporter writes so that a round trip keeps what OTM has no field for
MDPTM_ATTR = "mdptm."
UNASSIGNED_ZONE = "mdptm.unassigned"
# the scale of a risk computed from OTM's likelihood and impact (0-100 each)
RISK_SCALE = "OTM likelihood x impact / 100 (0-100)"
