"""Hostile and broken input (SPEC §12): one clear line naming the file, exit 2, no traceback, no
expanded entity anywhere and nothing written — and big but legitimate input still imports.

Every hostile file is generated here; no bomb is committed to the repository.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest

from mdptm.base.safety import check_zip, parse_xml, parse_yaml, read_zip_member
from mdptm.cli import main
from mdptm.errors import InputError
from tests.importers.test_threatdragon import v2_model
from tests.importers.test_tm7 import synthetic_tm7

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "infusion-pump"
GiB = 1024 * 1024 * 1024
SECRET = "TOP-SECRET-FROM-DISK"
LOL = "lolLOLlol"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    """Exit code, stdout+stderr and seconds of one in-process ``mdptm`` run."""
    t0 = time.perf_counter()
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out + err, time.perf_counter() - t0


def refused(args: list[str], capsys: pytest.CaptureFixture[str], *names: str) -> str:
    """Exit 2 within 60 s, one error line naming each of *names*, no traceback."""
    code, text, secs = run(args, capsys)
    assert code == 2, text
    assert secs < 60
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if line.startswith("mdptm: error:")]
    assert len(errors) == 1, text
    for name in names:
        assert name in errors[0], text
    assert "unexpected" not in errors[0] and "please report" not in errors[0], text
    return errors[0]


def import_refused(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    out = tmp_path / "out" / "model.json"
    out.parent.mkdir(exist_ok=True)
    line = refused(["import", str(src), "-o", str(out), "--report", str(out.parent / "report.json")], capsys, src.name, *more)
    assert list(out.parent.iterdir()) == [], "nothing may be written"
    return line


# ------------------------------------------------------------------------------ generators


def workbook(path: Path, rows: list[list[object]], title: str = "Threats") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(str(path))
    return path


REGISTER = [["ID", "Threat", "STRIDE", "Component", "Mitigation"], ["T-1", "Spoofed gateway", "S", "Pump", "Mutual TLS"]]


def zip_bomb(path: Path, size: int = GiB, member: str = "word/document.xml") -> Path:
    """A real bomb: *size* bytes of zeros, deflated (1 GiB → about 1 MB), written in a stream."""
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<?xml version='1.0'?><Types/>")
        with zf.open(member, "w", force_zip64=True) as fh:
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return path


def patch_sizes(data: bytes, member: str, *, size: int | None = None, csize: int | None = None) -> bytes:
    """Rewrite what the local header and the central directory declare for *member*."""
    out = bytearray(data)
    name = member.encode()
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:  # central directory entries
        n = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + n]) == name:
            local = struct.unpack_from("<I", out, pos + 42)[0]
            for base, c_off, u_off in ((pos, 20, 24), (local, 18, 22)):
                if csize is not None:
                    struct.pack_into("<I", out, base + c_off, csize)
                if size is not None:
                    struct.pack_into("<I", out, base + u_off, size)
        pos += 4
    return bytes(out)


def office_zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def with_part(src: Path, member: str, transform: object) -> bytes:
    with zipfile.ZipFile(src) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    assert callable(transform)
    parts[member] = transform(parts[member])
    return office_zip(parts)


def tm7_with_dtd(dtd: str, use: str, doctype: str = "") -> bytes:
    """The synthetic .tm7 with a DTD before its root and *use* in the system description."""
    body = synthetic_tm7().decode("utf-8").replace("<HighLevelSystemDescription>", f"<HighLevelSystemDescription>{use}", 1)
    assert use in body
    doctype = doctype or (f"<!DOCTYPE ThreatModel [{dtd}]>" if dtd else "")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n{body}'.encode()


def billion_laughs() -> str:
    ents = f'<!ENTITY lol0 "{LOL}">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return ents


# ------------------------------------------------------------------------ the acceptance feeds


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx")


def test_text_file_named_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "notes.docx"
    src.write_text("This is a plain text file saved with the wrong name.\n", encoding="utf-8")
    line = import_refused(src, tmp_path, capsys)
    assert "not a valid .docx" in line and "plain text" in line


def test_truncated_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = workbook(tmp_path / "full.xlsx", REGISTER * 50)
    data = full.read_bytes()
    for n, cut in enumerate((len(data) // 2, len(data) - 30, 100)):
        src = tmp_path / f"register-{n}.xlsx"
        src.write_bytes(data[:cut])
        assert "zip" in import_refused(src, tmp_path, capsys)


@pytest.mark.slow
def test_one_gib_zip_bomb_is_refused_in_seconds(bomb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bomb.stat().st_size < 5 * 1024 * 1024
    t0 = time.perf_counter()
    line = import_refused(bomb, tmp_path, capsys, "word/document.xml")
    assert time.perf_counter() - t0 < 5
    assert "bomb" in line or "inflates" in line


def test_zip_bomb_costs_little_memory(bomb: Path, tmp_path: Path) -> None:
    """In a fresh process: the peak memory stays far below what the member would inflate to.

    The peak is VmHWM of the process's own memory map (ru_maxrss would include the forking parent's).
    """
    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux /proc to read the peak memory of a process")
    script = (
        "import sys\nfrom pathlib import Path\nfrom mdptm.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
        "hwm = [l.split()[1] for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmHWM:')]\n"
        "print('RESULT', code, hwm[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "import", str(bomb), "-o", str(tmp_path / "m.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    code, peak_kib = done.stdout.split("RESULT")[1].split()
    assert code == "2" and "Traceback" not in done.stderr, done.stderr
    assert int(peak_kib) < 400 * 1024, f"peak {int(peak_kib) // 1024} MiB"


def test_tm7_with_external_entity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    src = tmp_path / "xxe.tm7"
    src.write_bytes(tm7_with_dtd(f'<!ENTITY xxe SYSTEM "file://{secret}">', "&xxe;"))
    line = import_refused(src, tmp_path, capsys, "entit")
    assert SECRET not in line


def test_tm7_with_billion_laughs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "laughs.tm7"
    src.write_bytes(tm7_with_dtd(billion_laughs(), "&lol9;"))
    line = import_refused(src, tmp_path, capsys, "entit")
    assert LOL not in line


def test_truncated_threat_dragon_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(v2_model(), indent=2)
    src = tmp_path / "dragon.json"
    src.write_text(text[: len(text) // 2], encoding="utf-8")
    line = import_refused(src, tmp_path, capsys, "JSON syntax error")
    assert "line " in line and "column " in line


def test_workbook_of_prose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Introduction"
    for text in (
        "Security risk management report",
        "Version 2.1 of this report was approved on 2024-01-03.",
        "Author: J. Doe",
        "The pump talks to a gateway over Wi-Fi; risks were considered during design.",
    ):
        ws.append([text])
    wb.create_sheet("Scope").append(["This assessment covers the firmware and the app. Date: 2024-01-03"])
    src = tmp_path / "report.xlsx"
    wb.save(str(src))
    line = import_refused(src, tmp_path, capsys, "no threat-model content found")
    assert "'Introduction'" in line and "'Scope'" in line


def test_dangling_reference_to_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = {
        "schema": "mdptm/1",
        "product": {"name": "P", "manufacturer": "M"},
        "document": {"version": "1"},
        "elements": [{"id": "E1", "name": "Pump", "kind": "device"}],
        "flows": [{"id": "F1", "name": "sync", "source": "E1", "target": "E-MISSING"}],
    }
    src = tmp_path / "dangling.json"
    src.write_text(json.dumps(model), encoding="utf-8")
    code, text, _ = run(["validate", str(src)], capsys)
    assert code == 2 and "Traceback" not in text
    assert "dangling.json" in text and "E-MISSING" in text and "/flows/0/target" in text
    import_refused(src, tmp_path, capsys, "E-MISSING")


def test_validate_points_other_formats_to_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = workbook(tmp_path / "register.xlsx", REGISTER)
    refused(["validate", str(src)], capsys, "register.xlsx", "mdptm import")


def test_workbook_with_a_30000_character_cell_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_text = ("The attacker replays a captured dose command. " * 700)[:30_000]
    src = workbook(
        tmp_path / "long.xlsx",
        [REGISTER[0], ["T-1", long_text, "T", "Pump", "Signed commands"], ["T-2", "Spoofed gateway", "S", "Pump", "Mutual TLS"]],
    )
    out = tmp_path / "model.json"
    code, text, secs = run(["import", str(src), "-o", str(out)], capsys)
    assert code == 0 and secs < 60, text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(long_text.strip() in (t["title"] + t["description"]) for t in data["threats"])


def test_folder_named_like_a_json_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "model.json"
    src.mkdir()
    assert "folder" in import_refused(src, tmp_path, capsys)
    refused(["validate", str(src)], capsys, "model.json", "folder")
    refused(["import", str(src), "--format", "threatdragon", "-o", str(tmp_path / "x.json")], capsys, "model.json")


# --------------------------------------------------------------------------------- zip guards


def test_zip_whose_directory_declares_a_huge_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = (SAMPLE / "register.xlsx").read_bytes()
    src = tmp_path / "forged.xlsx"
    src.write_bytes(patch_sizes(data, "xl/worksheets/sheet1.xml", size=0xFFFF0000))
    import_refused(src, tmp_path, capsys, "xl/worksheets/sheet1.xml")


def test_zip_whose_directory_understates_a_member_is_read_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A member that inflates to 64 MiB but declares 2 KB: reading stops at the declared size."""
    blob = tmp_path / "liar.zip"
    blob.write_bytes(patch_sizes(office_zip({"blob.bin": b" " * (64 << 20)}), "blob.bin", size=2000))
    check_zip(blob)  # the directory looks harmless ...
    with zipfile.ZipFile(blob) as zf, pytest.raises(InputError, match="corrupt zip member"):
        read_zip_member(zf, "blob.bin", file=blob.name)  # ... and the reader believes no more than it says
    doc = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + b" " * (64 << 20) + b"</w:body></w:document>"
    )
    data = with_part(SAMPLE / "threat-model.docx", "word/document.xml", lambda _old: doc)
    src = tmp_path / "liar.docx"
    src.write_bytes(patch_sizes(data, "word/document.xml", size=2000))
    import_refused(src, tmp_path, capsys, "word/document.xml", "corrupt")


def test_zip_member_limits_come_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "small-bomb.docx"
    zip_bomb(src, size=32 << 20)
    import_refused(src, tmp_path, capsys, "MDPTM_LIMIT_MAX_RATIO")
    monkeypatch.setenv("MDPTM_LIMIT_MAX_MEMBERS", "3")
    import_refused(SAMPLE / "register.xlsx", tmp_path, capsys, "MDPTM_LIMIT_MAX_MEMBERS")
    monkeypatch.setenv("MDPTM_LIMIT_MAX_MEMBERS", "many")
    refused(["import", str(SAMPLE / "register.xlsx"), "-o", str(tmp_path / "m.json")], capsys, "MDPTM_LIMIT_MAX_MEMBERS")


@pytest.mark.parametrize(
    ("source", "member", "dtd"),
    [
        ("threat-model.docx", "[Content_Types].xml", b'<!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
        ("threat-model.docx", "word/document.xml", b"<!DOCTYPE w:document>"),
        ("threat-model.docx", "word/styles.xml", b'<!-- padding -->\n<!DOCTYPE s [<!ENTITY % p SYSTEM "http://127.0.0.1:9/">]>'),
        ("register.xlsx", "xl/styles.xml", b'<!DOCTYPE styleSheet [<!ENTITY lol "lol">]>'),
        ("register.xlsx", "xl/workbook.xml", b'<!DOCTYPE workbook SYSTEM "http://127.0.0.1:9/evil.dtd">'),
    ],
)
def test_office_part_with_a_dtd_is_refused_before_anything_parses_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, member: str, dtd: bytes
) -> None:
    def inject(xml: bytes) -> bytes:
        decl, _, rest = xml.partition(b"?>") if xml.startswith(b"<?xml") else (b"", b"", xml)
        return decl + (b"?>" if decl else b"") + dtd + rest

    src = tmp_path / source
    src.write_bytes(with_part(SAMPLE / source, member, inject))
    line = import_refused(src, tmp_path, capsys, member, "DTD")
    assert "passwd" not in line


def test_dtd_hidden_behind_a_long_prolog_or_utf16(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pad = b"<!--" + b"x" * 100_000 + b"-->"
    src = tmp_path / "padded.docx"
    src.write_bytes(
        with_part(
            SAMPLE / "threat-model.docx",
            "word/document.xml",
            lambda xml: b'<?xml version="1.0"?>' + pad + b'<!DOCTYPE d [<!ENTITY e "E">]>' + xml.split(b"?>", 1)[1],
        )
    )
    import_refused(src, tmp_path, capsys, "word/document.xml")
    utf16 = tmp_path / "wide.docx"
    utf16.write_bytes(
        with_part(
            SAMPLE / "threat-model.docx",
            "word/document.xml",
            lambda xml: ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e "E">]>' + xml.split(b"?>", 1)[1].decode()).encode(
                "utf-16"
            ),
        )
    )
    import_refused(utf16, tmp_path, capsys, "word/document.xml", "DTD")


def test_wrong_formats_say_what_the_file_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "legacy.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password-protected"),
        "scan.docx": (b"%PDF-1.7\n" + bytes(600), "PDF"),
        "empty.xlsx": (b"", "empty file"),
        "model.tm7": (b'{"not": "xml"}', "XML syntax error"),
        # an extension no importer takes: still said what the file is (a .doc to save as .docx, a PDF to go back to the source of)
        "threat-model.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "legacy binary Office file"),
        "threat-model.pdf": (b"%PDF-1.7\n" + bytes(600), "it looks like a PDF document"),
        # the Threat Modeling Tool's report of a .tm7 (Threat-List.htm): the model is in the .tm7
        "Threat-List.htm": (
            b"\xef\xbb\xbf\r\n<!DOCTYPE html><html><head><title>Threat Modeling Report</title></head><body></body></html>",
            "Threat Modeling Tool HTML report: import the .tm7",
        ),
    }
    for name, (data, words) in cases.items():
        src = tmp_path / name
        src.write_bytes(data)
        import_refused(src, tmp_path, capsys, words)
    if Path("/dev/zero").exists():  # a device never ends: refused before it is read, whatever the format
        for fmt in ("tm7", "csv", "mdptm", "otm", "threatdragon"):
            refused(["import", "/dev/zero", "--format", fmt, "-o", str(tmp_path / "z.json")], capsys, "/dev/zero")
    word_as_excel = tmp_path / "register.xlsx"
    word_as_excel.write_bytes((SAMPLE / "threat-model.docx").read_bytes())
    import_refused(word_as_excel, tmp_path, capsys, "not an Excel workbook")


# ------------------------------------------------------------------------------------ XML


def test_tm7_entity_variants_are_never_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    evil_dtd = tmp_path / "evil.dtd"
    evil_dtd.write_text(f'<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY word "{SECRET}">', encoding="utf-8")
    variants = {
        "param.tm7": tm7_with_dtd(f'<!ENTITY % p SYSTEM "file://{evil_dtd}"> %p;', "&leak;"),
        "utf16.tm7": tm7_with_dtd(f'<!ENTITY xxe SYSTEM "file://{secret}">', "&xxe;")
        .decode()
        .replace('encoding="utf-8"', 'encoding="UTF-16"')
        .encode("utf-16"),
    }
    for name, data in variants.items():
        src = tmp_path / name
        src.write_bytes(data)
        assert SECRET not in import_refused(src, tmp_path, capsys, "entities")
    # An external DTD with no entity declared in the file: it is never loaded, so '&word;' stays unexpanded.
    ext = tmp_path / "external.tm7"
    ext.write_bytes(tm7_with_dtd("", "&word;", doctype=f'<!DOCTYPE ThreatModel SYSTEM "file://{evil_dtd}">'))
    out = tmp_path / "ext.json"
    code, text, _ = run(["import", str(ext), "-o", str(out)], capsys)
    assert "Traceback" not in text and SECRET not in text
    assert code == 2 or SECRET not in out.read_text(encoding="utf-8")


def test_parse_xml_bounds_depth_and_size(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = b"<a>" * 5000 + b"</a>" * 5000
    with pytest.raises(InputError, match="XML syntax error"):
        parse_xml(deep, file="deep.xml")
    monkeypatch.setenv("MDPTM_LIMIT_MAX_XML_BYTES", "1000")
    with pytest.raises(InputError, match="larger than the limit"):
        parse_xml(b"<a>" + b"x" * 2000 + b"</a>", file="big.xml")


@pytest.mark.parametrize("depth", [450, 1500])
def test_deeply_nested_word_document(tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int) -> None:
    """Content controls nested past Python's recursion limit, or past the parser's: refused cleanly."""

    def nest(xml: bytes) -> bytes:
        head, _, rest = xml.partition(b"<w:body>")
        return head + b"<w:body>" + b"<w:sdt><w:sdtContent>" * depth + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * depth + rest

    src = tmp_path / "nested.docx"
    src.write_bytes(with_part(SAMPLE / "threat-model.docx", "word/document.xml", nest))
    out = tmp_path / "m.json"
    code, text, _ = run(["import", str(src), "-o", str(out)], capsys)
    assert code in (0, 2) and "Traceback" not in text and "unexpected" not in text, text
    if code == 2:
        assert "nested.docx" in text and not out.exists()


# ------------------------------------------------------------------------------ JSON, YAML

YAML_LAUGHS = (
    "a: &a ["
    + ",".join(["lol"] * 10)
    + "]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(9))
)


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("laughs.yaml", "schema: mdptm/1\n" + YAML_LAUGHS, "aliases expand"),
        ("loop.yaml", "schema: mdptm/1\nproduct: &p {name: X, manufacturer: Y, extra: *p}\n", "recursive"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            "deep-extra.json",
            '{"schema": "mdptm/1", "product": {"name": "P", "manufacturer": "M"}, "document": {"version": "1"}, '
            '"elements": [{"id": "E1", "name": "Pump", "extra": {"x": ' + "[" * 400 + "]" * 400 + "}}]}",
            "deeper than 100",
        ),
        ("deep.yaml", "schema: mdptm/1\nx: " + "[" * 5000 + "]" * 5000, "YAML"),
        ("number.json", '{"schema": "mdptm/1", "n": ' + "9" * 5000 + "}", "cannot be read"),
        ("syntax.yaml", "schema: mdptm/1\nproduct:\n  name: [unclosed\n", "line "),
        ("syntax.json", '{"schema": "mdptm/1",\n "product": {"name": }}', "line 2, column"),
        ("binary.yaml", "schema: mdptm/1\n", "UTF-8"),
    ],
)
def test_structured_text_bombs_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, words: str) -> None:
    src = tmp_path / name
    src.write_bytes(text.encode() if name != "binary.yaml" else b"schema: \xff\xfe\x00 mdptm/1\n")
    import_refused(src, tmp_path, capsys, words)
    refused(["validate", str(src)], capsys, name)


def test_yaml_alias_budget_allows_ordinary_anchors() -> None:
    text = "defaults: &d {kind: device, sensitivity: public}\nelements:\n" + "".join(
        f"  - {{<<: *d, id: E{i}, name: Element {i}}}\n" for i in range(200)
    )
    data = parse_yaml(text, file="anchors.yaml")
    assert len(data["elements"]) == 200 and data["elements"][7]["kind"] == "device"
    with pytest.raises(InputError, match="aliases expand"):
        parse_yaml(YAML_LAUGHS, file="laughs.yaml")


def test_yaml_bomb_in_the_project_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model.yaml").write_text((SAMPLE / "model.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml]\n" + YAML_LAUGHS, encoding="utf-8")
    refused(["build", str(tmp_path), "-o", str(tmp_path / "pkg")], capsys, "mdptm.yaml", "aliases expand")
    assert not (tmp_path / "pkg").exists() and not (tmp_path / "pkg.internal").exists()
    refused(["signoff", str(tmp_path), "--role", "legal", "--name", "A", "--decision", "approved"], capsys, "mdptm.yaml")


# ------------------------------------------------------------------------- nothing half-written


def test_unwritable_output_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = workbook(tmp_path / "register.xlsx", REGISTER)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    refused(["import", str(src), "-o", str(blocker / "model.json")], capsys, "a-file")
    refused(["import", str(src), "-o", str(tmp_path / "missing" / "deeper" / "model.json")], capsys, "missing")
    folder = tmp_path / "model.json"
    folder.mkdir()
    refused(["import", str(src), "-o", str(folder)], capsys, "model.json", "folder")
    # the report cannot be written: the model is not written either
    out = tmp_path / "ok.json"
    refused(["import", str(src), "-o", str(out), "--report", str(blocker / "report.json")], capsys, "a-file")
    assert not out.exists()
    refused(["build", str(SAMPLE), "-o", str(blocker / "pkg")], capsys, "a-file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "model.json", "register.xlsx"]


def test_failed_import_leaves_an_existing_output_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.json"
    out.write_text("previous model\n", encoding="utf-8")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    refused(["import", str(bad), "-o", str(out)], capsys, "bad.xlsx")
    assert out.read_text(encoding="utf-8") == "previous model\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "model.json"]


def test_dot_as_the_output_folder_is_read_as_the_folder_it_names(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "-o ." and "-o .." name a folder only once made absolute: the checks that keep the inputs then
    apply to it (it once failed as "unexpected ValueError: PosixPath('.') has an empty name")."""
    monkeypatch.chdir(project)
    before = sorted(p.name for p in project.iterdir())
    text = refused(["build", str(project), "-o", "."], capsys, str(project), "contains the input")
    assert "ValueError" not in text
    (project / "inner").mkdir()
    monkeypatch.chdir(project / "inner")
    refused(["build", str(project), "-o", ".."], capsys, str(project), "contains the input")
    refused(["export", str(project / "model.yaml"), "-o", "."], capsys, "folder")
    assert sorted(p.name for p in project.iterdir()) == sorted([*before, "inner"])


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    for name in ("model.yaml", "redaction.yaml"):
        (tmp_path / name).write_bytes((SAMPLE / name).read_bytes())
    workbook(tmp_path / "register.xlsx", REGISTER)
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml, register.xlsx]\nredaction: redaction.yaml\n", encoding="utf-8")
    yield tmp_path


@pytest.mark.slow
def test_build_with_one_bad_source_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "pkg"
    code, text, _ = run(["build", str(project), "-o", str(out), "--draft"], capsys)
    assert code == 0, text
    before = {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}
    (project / "register.xlsx").write_bytes((project / "register.xlsx").read_bytes()[:500])
    refused(["build", str(project), "-o", str(out), "--draft"], capsys, "register.xlsx")
    after = {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}
    del before["register.xlsx"], after["register.xlsx"]
    assert after == before  # the earlier package and internal folder untouched, no temporary folder left
    (project / "register.xlsx").unlink()
    (project / "register.xlsx").mkdir()
    refused(["build", str(project), "-o", str(out), "--draft"], capsys, "register.xlsx", "folder")


def test_build_with_a_missing_or_empty_source(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "register.xlsx").unlink()
    refused(["build", str(project), "-o", str(project / "pkg")], capsys, "register.xlsx", "no such file")
    workbook(project / "register.xlsx", [["Just a note about the product."]])
    refused(["build", str(project), "-o", str(project / "pkg")], capsys, "register.xlsx", "no threat-model content")
    assert not (project / "pkg").exists() and not (project / "pkg.internal").exists()


# -------------------------------------------------------------------- big but legitimate input


@pytest.mark.slow
def test_a_sheet_of_100000_rows_imports(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Threats")
    ws.append(["ID", "Threat", "Component"])
    for i in range(100_000):
        ws.append([f"T-{i}", f"Attacker tampers with command {i}", "Pump"])
    src = tmp_path / "big.xlsx"
    wb.save(str(src))
    from mdptm.pipeline.importing import ImportSource, import_sources

    model, report = import_sources([ImportSource(src)])
    assert len(model.threats) == 100_000
    assert report.counts.imported >= 100_000


def test_deep_heading_nesting_imports(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("Security Use Case Views", 1)
    for level in range(2, 10):
        d.add_heading(f"Level {level} section", level)
        d.add_paragraph(f"Text at level {level}.")
    table = d.add_table(rows=2, cols=3)
    for c, text in enumerate(("Threat ID", "Threat", "Mitigation")):
        table.cell(0, c).text = text
    for c, text in enumerate(("T-9", "Deeply nested threat", "Defence in depth")):
        table.cell(1, c).text = text
    src = tmp_path / "deep.docx"
    d.save(str(src))
    from mdptm.pipeline.importing import ImportSource, import_sources

    model, _ = import_sources([ImportSource(src)])
    assert [t.id for t in model.threats] == ["T-9"]


def test_leak_scan_of_a_hostile_package(tmp_path: Path) -> None:
    """'review --package' reads a folder it did not write: alias bombs and deep JSON are skipped, not expanded."""
    from mdptm.redaction.leakscan import scan

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "laughs.yaml").write_text(YAML_LAUGHS + "note: Project Kestrel\n", encoding="utf-8")
    (pkg / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    t0 = time.perf_counter()
    hits = scan(pkg, ["Project Kestrel"])
    assert time.perf_counter() - t0 < 10
    assert [(h.file, h.needle) for h in hits] == [("laughs.yaml", "Project Kestrel")]


def test_text_that_looks_like_a_formula_stays_text_in_written_workbooks(tmp_path: Path) -> None:
    """An id or justification written by someone else ('=HYPERLINK(...)') must not run in the reader's Excel."""
    from mdptm.documents.coverage import write_coverage
    from mdptm.model.results import ClauseResult, Coverage, FrameworkResult

    evil = '=HYPERLINK("http://127.0.0.1/x","click")'
    clause = ClauseResult(id="1.1", title="Secure by default", status="covered", evidence=[evil], rationale=evil)
    out = tmp_path / "coverage.xlsx"
    write_coverage(Coverage(frameworks=[FrameworkResult(id="fw", title=evil, clauses=[clause])]), out)
    with zipfile.ZipFile(out) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["public", "submission"])
def test_no_written_workbook_carries_a_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str], audience: str) -> None:
    """Threat, control and assumption texts starting with = + @ stay text in every workbook written."""
    import yaml

    evil = "=cmd|' /C calc'!A0"
    data = yaml.safe_load((SAMPLE / "model.yaml").read_text(encoding="utf-8"))
    data["threats"][0]["title"] = evil
    data["controls"][0]["title"] = "+" + evil
    data["assumptions"][0]["description"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "mdptm.yaml").write_text("sources: [model.yaml]\n", encoding="utf-8")
    code, text, _ = run(["build", str(tmp_path), "-o", str(tmp_path / "pkg"), "--draft", "--audience", audience], capsys)
    assert code == 0, text
    books = list(tmp_path.rglob("*.xlsx"))
    assert books
    for book in books:
        with zipfile.ZipFile(book) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    xml = zf.read(name)
                    assert b"<f>" not in xml and b"<f " not in xml, f"{book.name}:{name}"
