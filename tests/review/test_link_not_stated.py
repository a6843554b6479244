"""The review says when a threat's links to its controls are not stated as pairs: linked only as a group, or named
differently by the threat and by the control (forward and back links that disagree)."""

from __future__ import annotations

from mdptm.model import Control, Document, Model, Product, Threat
from mdptm.plugins import ReviewContext
from mdptm.review.engine import review


def test_grouped_and_disagreeing_links_are_findings() -> None:
    m = Model(
        product=Product(name="P", manufacturer="M"),
        document=Document(version="1"),
        controls=[Control(id=c, title=f"Control {c}") for c in ("C-1", "C-2", "C-3")],
        threats=[
            Threat(id="T-1", title="Replay", controls=["C-1", "C-2"], controls_grouped=["C-1", "C-2"]),
            Threat(id="T-2", title="Spoofing", controls=["C-3"], controls_disputed=["C-3", "C-1"]),
            Threat(id="T-3", title="Flooding", controls=["C-3"]),
        ],
    )
    got = [f for f in review(ReviewContext(model=m)).findings if f.check == "link-not-stated"]
    by_items = {tuple(f.items): f.message for f in got}
    assert sorted(by_items) == [("T-1",), ("T-2", "C-1"), ("T-2", "C-3")]
    assert by_items[("T-1",)].startswith("1 threat is linked to its controls only as a group (T-1)")
    assert "names C-3, but C-3's own list of the threats it mitigates leaves it out" in by_items[("T-2", "C-3")]
    said = by_items[("T-2", "C-1")]
    assert "control C-1 lists threat" in said and "the threat does not name it" in said
    m.threats[0].controls_grouped = []
    m.threats[1].controls_disputed = []
    assert not [f for f in review(ReviewContext(model=m)).findings if f.check == "link-not-stated"]
