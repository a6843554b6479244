"""A tall picture (the patient-monitor sample's network picture, 588 x 987 px, at 12.5 cm wide) was 21 cm high: it did
not fit under the guide's title, so Word left the first page blank but for the title and moved it to the second. An
image may cap its height; the renderer then keeps its shape within that height."""

from __future__ import annotations

from pathlib import Path

import docx
from PIL import Image as PILImage

from mdptm.render.docir import Doc, Image
from mdptm.render.docx import render_docx


def _extent(tmp_path: Path, max_height_cm: float | None) -> tuple[int, int]:
    pic = tmp_path / "tall.png"
    PILImage.new("RGB", (588, 987), "white").save(pic)
    doc = Doc(title="Guide")
    doc.blocks.append(Image(pic, "A tall picture", 12.5, max_height_cm))
    out = tmp_path / f"g{max_height_cm}.docx"
    render_docx(doc, out, epoch=1700000000)
    (shape,) = docx.Document(str(out)).inline_shapes
    return int(shape.width), int(shape.height)


def test_a_height_cap_keeps_a_tall_picture_within_it(tmp_path: Path) -> None:
    width, height = _extent(tmp_path, 15.0)
    assert height <= 15.0 * 360000
    assert abs(width / height - 588 / 987) < 0.01  # its shape kept


def test_no_cap_keeps_the_renderer_s_own_limit(tmp_path: Path) -> None:
    _width, height = _extent(tmp_path, None)
    assert height > 15.0 * 360000  # 12.5 cm wide: about 21 cm high, within 85 % of the page's text height
