"""Property tests: random items dropped, random terms planted in random disguises; no output byte
(zips opened, markup and entities undone) holds any of them."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdptm.model import Model
from mdptm.model.report import ImportReport
from mdptm.pipeline.build import Settings
from mdptm.pipeline.run import run_pipeline
from tests.redaction.leak_helpers import package_text
from tests.redaction.test_redact import MODEL

EXAMPLES = int(os.environ.get("MDPTM_FUZZ_EXAMPLES", "6"))
TERMS = ["Dana Whitlock", "Project Osprey", "Strauß Labs", "Workflow Vault"]
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u034f", "\u202a", "\u2066"]
DROPPABLE = ["T2", "E2", "A1", "C1", "F1"]
PLACES = [
    ("threats", 0, "description"),
    ("elements", 0, "description"),
    ("controls", 0, "title"),
    ("assets", 0, "name"),
    ("trust_zones", 0, "name"),
    ("threats", 1, "title"),
]
_INVISIBLE_RX = re.compile("[" + "".join(INVISIBLE) + "\u202c\u2069\u202e]")


def _canon(text: str) -> str:
    """The test's own normalisation (independent of mdptm.base.textnorm)."""
    text = unicodedata.normalize("NFKC", _INVISIBLE_RX.sub("", text)).casefold()
    return re.sub(r"[\s\-\u2010-\u2015_]+", " ", text).strip()


@st.composite
def disguise(draw: st.DrawFn, term: str) -> str:
    chars = list(term)
    for _ in range(draw(st.integers(0, 3))):
        pos = draw(st.integers(1, len(chars) - 1))
        chars.insert(pos, draw(st.sampled_from(INVISIBLE)))
    out = "".join(chars)
    kind = draw(st.sampled_from(["plain", "upper", "fullwidth", "nfd", "hyphen", "nbsp", "ligature", "rlo"]))
    if kind == "upper":
        out = out.upper()
    elif kind == "fullwidth":
        out = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in out)
    elif kind == "nfd":
        out = unicodedata.normalize("NFD", out)
    elif kind == "hyphen":
        out = out.replace(" ", draw(st.sampled_from(["-", "\u2011", "\u2013"])))
    elif kind == "nbsp":
        out = out.replace(" ", "\u00a0")
    elif kind == "ligature":
        out = out.replace("fl", "\ufb02").replace("fi", "\ufb01")
    elif kind == "rlo":
        out = "\u202e" + out[::-1] + "\u202c"
    return out


@st.composite
def scenario(draw: st.DrawFn) -> tuple[dict[str, Any], list[str], str, list[str]]:
    data = yaml.safe_load(MODEL)
    term = draw(st.sampled_from(TERMS))
    for coll, index, field in draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3, unique=True)):
        item = data[coll][index]
        item[field] = f"{item.get(field) or 'Note'} — contact {draw(disguise(term))} for details"
    dropped = draw(st.lists(st.sampled_from(DROPPABLE), max_size=3, unique=True))
    secrets = []
    for coll in ("threats", "elements", "assets", "controls", "flows"):
        for n, item in enumerate(data[coll]):
            if item["id"] in dropped:
                secret = f"Left-out detail {item['id']} number {n} zq{draw(st.integers(1000, 9999))}"
                item["description"] = secret
                secrets.append(secret)
    return data, dropped, term, secrets


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_no_planted_term_or_left_out_text_in_any_output_byte(case: tuple[dict[str, Any], list[str], str, list[str]]) -> None:
    data, dropped, term, secrets = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "policy.yaml").write_text(yaml.safe_dump({"terms": [term], "drop_items": dropped}), encoding="utf-8")
        settings_ = Settings(base_dir=root / "src", policy=root / "policy.yaml", draft=True)
        result = run_pipeline(Model.model_validate(data), ImportReport(), root / "out", settings_)
        assert result.exit_code == 0, result.warnings
        text = _canon(package_text(root / "out"))
        assert _canon(term) not in text
        for secret in secrets:
            assert _canon(secret) not in text, secret
