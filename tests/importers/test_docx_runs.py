"""A run's text and its hidden mark are read in one pass over the run: what a paragraph gives (text, tracked
changes, hidden runs, comments, images) must be what the two-pass reading below gives, for any run."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from mdptm.importers.docx import WP, A, R, Stats, W, _first, _images, _run_action, _walk_action, paragraph_text

NS = f'xmlns:w="{W}" xmlns:r="{R}" xmlns:a="{A}" xmlns:wp="{WP}"'


def plain_paragraph_text(p: etree._Element) -> tuple[str, Stats]:
    """The reading before: the run's first w:rPr looked up first, then its children read."""
    stats = Stats()
    parts: list[str] = []
    _plain_walk(p, parts, stats)
    return "".join(parts), stats


def _plain_walk(el: etree._Element, parts: list[str], stats: Stats) -> None:
    from mdptm.importers.docx import _COMMENT, _DEL, _IMAGE, _INS, _INTO, _RUN

    for child in el:
        action = _walk_action(child.tag)
        if action == _RUN:
            rpr = _first(child, f"{{{W}}}rPr")
            if rpr is not None:
                vanish = _first(rpr, f"{{{W}}}vanish")
                if vanish is not None and vanish.get(f"{{{W}}}val") not in ("0", "false"):
                    stats.hidden += 1
                    continue
            _plain_run(child, parts, stats)
        elif action == _INTO:
            _plain_walk(child, parts, stats)
        elif action == _DEL:
            stats.deleted += 1
        elif action == _INS:
            stats.inserted += 1
            _plain_walk(child, parts, stats)
        elif action == _COMMENT:
            cid = child.get(f"{{{W}}}id")
            if cid is not None and cid not in stats.comments:
                stats.comments.append(cid)
        elif action == _IMAGE:
            _images(child, stats)


def _plain_run(r: etree._Element, parts: list[str], stats: Stats) -> None:
    for rc in r:
        if not isinstance(rc.tag, str):
            continue
        action = _run_action(rc.tag)
        if action == "t":
            parts.append(rc.text or "")
        elif action == "image":
            _images(rc, stats)
        elif action == "comment":
            cid = rc.get(f"{{{W}}}id")
            if cid is not None and cid not in stats.comments:
                stats.comments.append(cid)
        elif action != "other":
            parts.append(action)


RUN_CHILDREN = [
    "<w:rPr><w:b/></w:rPr>",
    "<w:rPr><w:vanish/></w:rPr>",
    '<w:rPr><w:vanish w:val="false"/></w:rPr>',
    '<w:rPr><w:vanish w:val="1"/></w:rPr>',
    "<w:t>alpha</w:t>",
    "<w:t xml:space='preserve'> beta </w:t>",
    "<w:t/>",
    "<w:tab/>",
    "<w:br/>",
    "<w:noBreakHyphen/>",
    '<w:commentReference w:id="7"/>',
    '<w:commentReference w:id="8"/>',
    '<w:drawing><wp:inline><wp:docPr id="1" descr="pump photo"/><a:blip r:embed="rId5"/></wp:inline></w:drawing>',
    "<!-- a comment -->",
    "<w:delText>gone</w:delText>",
]


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    runs = []
    for _ in range(draw(st.integers(0, 4))):
        run = "<w:r>" + "".join(draw(st.lists(st.sampled_from(RUN_CHILDREN), max_size=5))) + "</w:r>"
        wrap = draw(st.sampled_from(["{}", "<w:ins>{}</w:ins>", "<w:del>{}</w:del>", "<w:hyperlink>{}</w:hyperlink>"]))
        runs.append(wrap.format(run))
        if draw(st.booleans()):
            runs.append(f'<w:commentRangeStart w:id="{draw(st.sampled_from(["7", "9"]))}"/>')
    return f"<w:p {NS}>" + "".join(runs) + "</w:p>"


@settings(max_examples=400, deadline=None)
@given(paragraphs())
def test_a_paragraph_reads_as_the_two_pass_reading(xml: str) -> None:
    p = etree.fromstring(xml)
    text, stats = paragraph_text(p)
    want, plain = plain_paragraph_text(p)
    assert text == want
    assert (stats.inserted, stats.deleted, stats.hidden, stats.comments, stats.images) == (
        plain.inserted,
        plain.deleted,
        plain.hidden,
        plain.comments,
        plain.images,
    )


def test_a_run_hidden_by_properties_after_its_text_gives_back_what_it_took() -> None:
    xml = (
        f'<w:p {NS}><w:r><w:t>seen</w:t></w:r><w:r><w:t>unseen</w:t><w:commentReference w:id="3"/>'
        '<w:drawing><wp:inline><a:blip r:embed="rId9"/></wp:inline></w:drawing><w:rPr><w:vanish/></w:rPr></w:r></w:p>'
    )
    text, stats = paragraph_text(etree.fromstring(xml))
    assert (text, stats.hidden, stats.comments, stats.images) == ("seen", 1, [], [])


def test_cell_properties_are_found_wherever_they_stand_in_the_cell() -> None:
    """Word writes w:tcPr first and the reader looks there first; a cell whose properties come later (after
    a comment or a paragraph) still has its span and vertical merge read."""
    from mdptm.importers.docx import table_grid

    xml = (
        f"<w:tbl {NS}>"
        '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Wide</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:tc><!-- note --><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Also wide</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>D</w:t></w:r></w:p><w:tcPr><w:vMerge/></w:tcPr></w:tc></w:tr>"
        "</w:tbl>"
    )
    grid, _stats, _changed = table_grid(etree.fromstring(xml), 1, "t.docx", {})
    assert grid.cells == [["Wide", "", "C"], ["Also wide", "", ""]]
    assert grid.merged == {(0, 1): (0, 0), (1, 1): (1, 0), (1, 2): (0, 2)}


PLAIN_CHILDREN = [
    "<w:r><w:t>alpha</w:t></w:r>",
    "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space='preserve'> beta </w:t></w:r>",
    "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>",
    "<w:r><w:rPr><w:color w:val='FFFFFF'/></w:rPr><w:t>white</w:t></w:r>",
    "<w:r><w:rPr><w:sz w:val='2'/></w:rPr><w:t>tiny</w:t></w:r>",
    "<w:r><w:rPr><w:rStyle w:val='Secret'/></w:rPr><w:t>styled</w:t></w:r>",
    "<w:r><w:t>one</w:t><w:t>two</w:t></w:r>",
    "<w:r/>",
    "<w:r><w:tab/></w:r>",
    "<w:pPr><w:pStyle w:val='Normal'/></w:pPr>",
    '<w:bookmarkStart w:id="0" w:name="x"/>',
    '<w:bookmarkEnd w:id="0"/>',
    '<w:commentRangeStart w:id="7"/>',
    "<w:ins><w:r><w:t>new</w:t></w:r></w:ins>",
    "<!-- a comment -->",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_CHILDREN), max_size=6), st.sampled_from([None, "Secret", "Plain"]), st.booleans())
def test_a_plain_paragraph_read_without_the_walk_reads_as_the_walk(children: list[str], para_style: str | None, shaded: bool) -> None:
    """A cell paragraph of plain runs is read without the general walk: what it gives is the walk's text,
    and any paragraph with something the walk would count (a hidden run, a change, a comment) goes to the walk."""
    from mdptm.importers.docx import _HIDING, Hiding, RunLook, _paragraph_look, _plain_text, _walk

    hiding = Hiding(styles={"Secret": RunLook(vanish=True), "Plain": RunLook(white=False)})
    token = _HIDING.set(hiding)
    try:
        ppr = f"<w:pPr><w:pStyle w:val='{para_style}'/></w:pPr>" if para_style else ""
        p = etree.fromstring(f"<w:p {NS}>{ppr}{''.join(children)}</w:p>")
        _paragraph_look(p, hiding, shaded)
        fast = _plain_text(p, hiding.para)
        parts: list[str] = []
        stats = Stats()
        _walk(p, parts, stats)
    finally:
        _HIDING.reset(token)
    if fast is not None:
        assert fast == "".join(parts)
        assert (stats.inserted, stats.deleted, stats.hidden, stats.comments, stats.images) == (0, 0, 0, [], [])
    if not para_style and all(c.startswith(("<w:r><w:t>alpha", "<w:r><w:rPr><w:b/>", "<w:pPr", "<w:bookmark", "<!--")) for c in children):
        assert fast is not None  # the usual cell is read without the walk
