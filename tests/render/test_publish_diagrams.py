"""Diagrams and charts: readable layouts, sensible limits, the same bytes every time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mdptm.model import Model, Risk, Threat
from mdptm.model.results import Coverage
from mdptm.render import diagrams
from tests.ptm_fixture import coverage, model, model_data


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_view_diagrams_are_deterministic_pngs(tmp_path: Path) -> None:
    m = model()
    a = diagrams.view_diagram(m, tmp_path / "a.png")
    b = diagrams.view_diagram(m, tmp_path / "b.png")
    assert a is not None and b is not None
    assert a.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _sha(a) == _sha(b)
    assert b"Software" not in a.read_bytes()[:2000]  # no generator metadata chunk
    width, height = diagrams.png_size_cm(a)
    assert 8 < width < 25 and height < 30


def test_each_view_draws_its_own_scope(tmp_path: Path) -> None:
    m = model()
    sizes = {}
    for v in m.views:
        out = diagrams.view_diagram(m, tmp_path / f"{v.id}.png", v)
        assert out is not None, v.id
        sizes[v.id] = diagrams.png_size_cm(out)
    assert sizes["V-UC2"][1] < sizes["V-GSV"][1]  # a use case shows fewer elements than the whole system


def test_a_view_naming_nothing_is_not_drawn(tmp_path: Path) -> None:
    data = model_data()
    data["views"].append({"id": "V-EMPTY", "kind": "security_use_case", "name": "Empty"})
    m = Model.model_validate(data)
    assert diagrams.view_diagram(m, tmp_path / "e.png", m.views[-1]) is None


def test_large_views_are_drawn_by_trust_zone(tmp_path: Path) -> None:
    data = model_data()
    data["trust_zones"] = [{"id": f"Z{i}", "name": f"Zone {i}"} for i in range(40)]
    data["elements"] = [{"id": f"E{i}", "name": f"Element {i}", "trust_zone": f"Z{i % 40}"} for i in range(2000)]
    data["flows"] = [{"id": f"F{i}", "source": f"E{i}", "target": f"E{(i * 7 + 3) % 2000}"} for i in range(3000)]
    data.update(assets=[], views=[], threats=[])
    m = Model.model_validate(data)
    out = diagrams.view_diagram(m, tmp_path / "big.png")
    assert out is not None
    width, height = diagrams.png_size_cm(out)
    assert width < 30 and height < 40  # aggregated, not a 2000-box poster


def test_text_with_dollars_is_not_mathtext(tmp_path: Path) -> None:
    data = model_data()
    data["elements"][0]["name"] = "Cost $5 and $x^2$ \\frac"
    data["threats"][0]["risk"]["likelihood"] = "$\\frac{1}{2}$"
    m = Model.model_validate(data)
    assert diagrams.view_diagram(m, tmp_path / "d.png") is not None
    assert diagrams.risk_heat_map(m.threats, tmp_path / "h.png") is not None


def test_heat_map_orders_the_sources_own_labels() -> None:
    order = diagrams._label_order(["Likely", "Rare", "Possible", "Unlikely"], "likelihood", {})
    assert order == ["Rare", "Unlikely", "Possible", "Likely"]
    numbers = diagrams._label_order(["3 (High)", "1 (Low)", "2"], "severity", {})
    assert numbers == ["1 (Low)", "2", "3 (High)"]
    # an unknown word goes after the known ones, ordered by the risk of the threats using it
    mixed = diagrams._label_order(["Zany", "Weird", "Low"], "severity", {"Zany": [4.0], "Weird": [1.0]})
    assert mixed == ["Low", "Weird", "Zany"]


def test_heat_map_needs_ratings(tmp_path: Path) -> None:
    unrated = [Threat(id="T1", title="t")]
    assert diagrams.risk_heat_map(unrated, tmp_path / "none.png") is None
    only_level = [Threat(id="T1", title="t", risk=Risk(level="high"))]
    assert diagrams.risk_heat_map(only_level, tmp_path / "none.png") is None
    rated = [Threat(id="T1", title="t", risk=Risk(likelihood="Likely", severity="Major"))]
    assert diagrams.risk_heat_map(rated, tmp_path / "one.png") is not None


def test_heat_map_draws_and_names_only_the_phases_the_model_rates(tmp_path: Path) -> None:
    """A register rating risk before controls only had its caption say "before and after controls"."""
    before = [Threat(id="T1", title="t", risk=Risk(likelihood="Likely", severity="Major"))]
    assert diagrams.heat_map_phases(before) == "before controls"
    after = [Threat(id="T1", title="t", residual_risk=Risk(likelihood="Rare", severity="Minor"))]
    assert diagrams.heat_map_phases(after) == "after controls"
    both = [before[0].model_copy(update={"residual_risk": after[0].residual_risk})]
    assert diagrams.heat_map_phases(both) == "before and after controls"
    assert diagrams.heat_map_phases([Threat(id="T1", title="t")]) == ""
    one = diagrams.png_size_cm(diagrams.risk_heat_map(after, tmp_path / "after.png") or tmp_path / "missing")
    two = diagrams.png_size_cm(diagrams.risk_heat_map(both, tmp_path / "both.png") or tmp_path / "missing")
    assert one[0] < two[0]  # one panel, not an empty "Before controls" beside it


def test_coverage_chart(tmp_path: Path) -> None:
    out = diagrams.coverage_chart(coverage(), tmp_path / "c.png")
    assert out is not None and out.stat().st_size > 1000
    assert diagrams.coverage_chart(Coverage(), tmp_path / "none.png") is None


@pytest.mark.parametrize(
    "name",
    [
        "Warehouse Management Page",
        "Order Management Page",
        "Pump",
        "Drug library server (hospital-hosted)",
        "Supercalifragilisticexpialidocious",
    ],
)
def test_an_element_name_fits_its_box_as_measured(name: str) -> None:
    """Names were wrapped by counting characters: "Management Page" (15) at 7 pt spilled over the box's edges."""
    text, size = diagrams._fit_name(name)
    assert all(diagrams._name_width(line, size) <= diagrams._NAME_ROOM_PT for line in text.split("\n"))
    assert text.replace("\n", " ").replace("  ", " ") == name or "".join(text.split()) == "".join(name.split())


def test_a_name_too_long_for_four_lines_is_cut_with_an_ellipsis() -> None:
    text, size = diagrams._fit_name("a very long element name " * 8)
    assert size == 5.0 and text.count("\n") == 3 and text.endswith("…")
    assert all(diagrams._name_width(line, size) <= diagrams._NAME_ROOM_PT for line in text.split("\n"))


def test_a_flow_bends_around_a_box_it_would_cross(tmp_path: Path) -> None:
    """The sample's update flow (server → cloud, two bands down) ran straight through the drug library editor's box
    in the deployment guide's network picture, as if the editor were one of its ends."""
    server = diagrams._Node("S", "Server", "software", "vlan", x=6.5, y=-1.4)
    editor = diagrams._Node("E", "Editor", "software", "enterprise", x=6.5, y=-3.7)
    update = diagrams._Node("U", "Update service", "cloud_service", "cloud", x=4.0, y=-8.3)
    others = [editor]
    straight = diagrams._arc_points((server.x, server.y), (update.x, update.y), 0.0)
    assert diagrams._boxes_crossed(straight, others) == 1
    rad = diagrams._around_boxes(server, update, 0.0, others, 13.0, [])
    assert rad != 0.0
    assert diagrams._boxes_crossed(diagrams._arc_points((server.x, server.y), (update.x, update.y), rad), others) == 0
    # a flow that crosses nothing keeps its bend
    assert diagrams._around_boxes(server, editor, 0.0, [update], 13.0, []) == 0.0


def test_a_label_between_neighbours_goes_beside_the_arrow_not_over_their_names() -> None:
    """Threagile's 'Jenkins Build Server' → 'Git Repository' label ('TCP, port not stated', its id longer still) was
    drawn over both boxes' names: the gap between neighbours holds neither."""
    left, right = (1.6, -1.0), (4.8, -1.0)
    half_w, half_h = diagrams._BW / 2, diagrams._BH / 2
    boxes = [(x - half_w, y - half_h, x + half_w, y + half_h) for x, y in (left, right)]
    x, y, rect, chosen = diagrams._label_spot("TCP, port not stated", "df-jenkins-to-git", left, right, 0.0, boxes, (0.0, 8.0))
    assert chosen == "TCP, port not stated"
    assert not any(rect[0] < b[2] and b[0] < rect[2] and rect[1] < b[3] and b[1] < rect[3] for b in boxes)
    assert abs(x - 3.2) < 0.01 and abs(y + 1.0) <= 0.9  # just beside the arrow's middle
    # a short id that fits in the gap stays on the arrow
    x, y, rect, chosen = diagrams._label_spot("TCP 443", "F-02", left, right, 0.0, boxes, (0.0, 8.0))
    assert chosen == "F-02" and abs(y + 1.0) < 0.01
