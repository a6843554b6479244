"""The package attacked end to end: a project with a withheld threat, a policy term written in another case
and a pattern hit is built; no byte of any output (zips opened, every escape undone, base64 decoded,
look-alike letters read as Latin) holds what redaction removed. Then each output format is tampered with,
the secret planted in each disguise, and the leak scan must find every one."""

from __future__ import annotations

import base64
import copy
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from mdptm.pipeline.build import build
from mdptm.redaction.leakscan import scan
from tests.pipeline.redteam_projects import MODEL, SECRET_DESCRIPTION, TERM, project, where_found

PLANTED_TERM = TERM.upper()  # a term written in another case is the same term
PATTERN_HIT = "pumpsec-4711"  # the policy's pattern is written in capitals


def _model() -> dict[str, object]:
    data = copy.deepcopy(MODEL)
    threats = data["threats"]
    assert isinstance(threats, list)
    threats[0]["description"] = f"Reported by the {PLANTED_TERM} team in {PATTERN_HIT}; signed libraries stop it."
    return data


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    tmp = tmp_path_factory.mktemp("disguise")
    policy = {"drop": ["confidential"], "terms": [TERM], "patterns": [r"\bPUMPSEC-\d+\b"]}
    root = project(tmp / "p", model=_model(), policy=policy)
    out = tmp / "out"
    result = build(root, out)
    assert result.exit_code == 0, result.warnings
    log = json.loads((tmp / "out.internal" / "redaction-log.json").read_text(encoding="utf-8"))
    needles = list(dict.fromkeys([*log["terms"], *(e["removed"] for e in log["entries"] if e["secret"] and e["removed"])]))
    return out, needles


def test_the_package_holds_no_removed_string_in_any_form(package: tuple[Path, list[str]]) -> None:
    out, needles = package
    assert {TERM, SECRET_DESCRIPTION, PATTERN_HIT} <= set(needles) | {TERM}
    assert PATTERN_HIT in needles  # the pattern matched the lower-case hit
    for needle in [*needles, "Zephyrine", "31337"]:
        assert not where_found(out, needle), (needle, where_found(out, needle))
    assert where_found(out, "signed libraries stop it")  # the rest of the text is published


SMALL_CAPITALS = str.maketrans("abcdefghijklmnoprstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ")
OTHER_SCRIPTS = str.maketrans({"e": "\u2c89", "o": "\u0585", "k": "\ua4d7", "i": "\u0131", "a": "\u0251", "Z": "\u13c3"})
LOOKALIKE = str.maketrans({"e": "\u0435", "o": "\u043e", "p": "\u0440", "a": "\u0430", "i": "\u0456"})
DISGUISES: dict[str, Callable[[str], str]] = {
    "cyrillic look-alikes": lambda s: s.translate(LOOKALIKE),
    "greek capitals": lambda s: s.upper().replace("O", "\u039f").replace("E", "\u0395").replace("Z", "\u0396"),
    "zero-width": lambda s: "\u200b".join(s),
    "soft hyphens": lambda s: "\u00ad".join(s),
    "fullwidth": lambda s: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s),
    "double percent": lambda s: "".join(f"%25{b:02X}" for b in s.encode()),
    "numeric references": lambda s: "".join(f"&#{ord(c)};" for c in s),
    "references escaped twice": lambda s: "".join(f"&amp;#x{ord(c):x};" for c in s),
    "json unicode escapes": lambda s: "".join(f"\\u{ord(c):04x}" for c in s),
    "base64": lambda s: base64.b64encode(s.encode()).decode(),
    "latin small capitals": lambda s: s.translate(SMALL_CAPITALS),
    "coptic, armenian, lisu, cherokee and ipa letters": lambda s: s.translate(OTHER_SCRIPTS),
    "written backwards": lambda s: s[::-1],
    "spaced out letter by letter": lambda s: " ".join(s),
    "spaced out backwards": lambda s: " ".join(s[::-1]),
}


def _plant(out: Path, target: str, text: str) -> None:
    """Write *text* into the package file or zip member *target* (``ptm.docx!word/document.xml``)."""
    if "!" not in target:
        path = out / target
        path.write_bytes(path.read_bytes() + b"\n" + text.encode("utf-8"))
        return
    name, member = target.split("!", 1)
    path = out / name
    with zipfile.ZipFile(path) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    data = members[member]
    cut = data.rfind(b"</")  # inside the root element, as an exporter would write it
    members[member] = data[:cut] + text.encode("utf-8") + data[cut:]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for n, d in members.items():
            zout.writestr(n, d)
    path.write_bytes(buf.getvalue())


TARGETS = [
    "index.html",
    "ptm.json",
    "ptm.otm.json",
    "guides/operations.md",
    "ptm.docx!word/document.xml",
    "ptm.xlsx!xl/worksheets/sheet2.xml",
]


@pytest.mark.parametrize("target", TARGETS)
def test_a_disguised_secret_in_any_output_is_caught(package: tuple[Path, list[str]], target: str, tmp_path: Path) -> None:
    out, needles = package
    for name, disguise in DISGUISES.items():
        copy_of = tmp_path / name.replace(" ", "-")
        shutil.copytree(out, copy_of)
        shown = disguise("Zephyrine backdoor on port 31337")
        if target.endswith((".html", ".xml")) and "&" in shown:
            shown = shown.replace("&", "&amp;")  # an escaped reference, as a writer escaping text makes it
        _plant(copy_of, target, shown)
        hits = scan(copy_of, needles)
        assert hits, (target, name, shown)
        assert {h.file for h in hits} == {target.split("!")[0]}, (target, name, hits)
