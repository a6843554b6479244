"""The model's reverse look-ups: each referrer once, in collection order; nothing for an id no one names."""

from __future__ import annotations

from mdptm.model import Model
from mdptm.model.index import threats_by_control, threats_by_target, views_by_threat


def _model() -> Model:
    return Model.model_validate(
        {
            "schema": "mdptm/1",
            "product": {"name": "Pump", "manufacturer": "Maker"},
            "document": {"version": "1"},
            "elements": [{"id": "E1", "name": "Pump", "kind": "device"}, {"id": "E2", "name": "Server", "kind": "cloud_service"}],
            "controls": [{"id": "C1", "title": "Signed updates"}, {"id": "C2", "title": "TLS"}, {"id": "C3", "title": "Unused"}],
            "threats": [
                {"id": "T2", "title": "Tampered update", "stride": ["tampering"], "targets": ["E1"], "controls": ["C1", "C1", "C2"]},
                {"id": "T1", "title": "Spoofed server", "stride": ["spoofing"], "targets": ["E2", "E1"], "controls": ["C2"]},
            ],
            "views": [{"id": "V1", "name": "Update", "kind": "security_use_case", "threats": ["T2", "T1", "T2"]}],
        }
    )


def test_reverse_indexes_keep_collection_order_and_name_each_referrer_once() -> None:
    m = _model()
    assert threats_by_control(m) == {"C1": ["T2"], "C2": ["T2", "T1"]}
    assert threats_by_target(m) == {"E1": ["T2", "T1"], "E2": ["T1"]}
    assert views_by_threat(m) == {"T2": ["V1"], "T1": ["V1"]}
    assert "C3" not in threats_by_control(m)
