"""CVSS vectors and scores as threat models write them, checked with the ``cvss`` library.

A threat's ``cvss`` is kept as the source wrote it (a vector, a score, or both); this module reads it:
the vector's version and base score (CVSS 2.0, 3.0, 3.1 and 4.0 are scored by the library), a score
the source states beside it, and what is wrong when the two disagree or the vector does not parse.
A reviewer can then trust a CVSS figure in the submission set, or sees why not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

_V3_OR_4 = re.compile(r"CVSS:(?P<ver>3\.0|3\.1|4\.0)/[A-Za-z]+:[A-Za-z](?:/[A-Za-z]+:[A-Za-z])*")
_BARE = re.compile(r"(?<![A-Za-z:/])(?:AV:[A-Za-z])(?:/[A-Za-z]+:[A-Za-z]+)+")
_NUMBER = re.compile(r"(?<![\w.:/])(\d{1,2}(?:\.\d)?)(?![\w.:/])")
_TOLERANCE = 0.05  # stated scores are rounded to one decimal


@dataclass(frozen=True)
class CvssReading:
    """What a CVSS text says: the vector, its version and base score, a stated score, any problem."""

    vector: str | None = None
    version: str | None = None
    computed: float | None = None
    stated: float | None = None
    problem: str | None = None

    @property
    def score(self) -> float | None:
        return self.computed if self.computed is not None else self.stated

    @property
    def severity(self) -> str | None:
        return severity(self.score)


def severity(score: float | None) -> str | None:
    """The qualitative rating of a base score (the same bands in CVSS 3.x and 4.0)."""
    if score is None:
        return None
    if score == 0:
        return "None"
    if score < 4:
        return "Low"
    if score < 7:
        return "Medium"
    if score < 9:
        return "High"
    return "Critical"


def _score(vector: str, version: str) -> float:
    if version == "4.0":
        return float(CVSS4(vector).base_score)
    if version == "2.0":
        return float(CVSS2(vector).scores()[0])
    return float(CVSS3(vector).scores()[0])


def read(text: str | None, stated: float | None = None) -> CvssReading:
    """Read a CVSS text and an optional score stated elsewhere (a score column)."""
    text = (text or "").strip()
    if not text and stated is None:
        return CvssReading()
    vector, version = None, None
    match = _V3_OR_4.search(text)
    if match:
        vector, version = match.group(0), match.group("ver")
    elif "CVSS:" in text.upper():
        return CvssReading(vector=text, stated=stated, problem=f"not a CVSS 3.0, 3.1 or 4.0 vector: {text[:80]!r}")
    else:
        bare = _BARE.search(text)
        if bare:
            vector = bare.group(0)
            version = "2.0" if "/Au:" in vector else "4.0" if "/AT:" in vector else "3.1"
            if version == "3.1":
                vector = "CVSS:3.1/" + vector
            elif version == "4.0":
                vector = "CVSS:4.0/" + vector
    if stated is None:
        rest = text.replace(vector, " ") if vector else text
        number = _NUMBER.search(rest)
        if number:
            stated = float(number.group(1))
    if stated is not None and not 0 <= stated <= 10:
        return CvssReading(vector=vector, version=version, stated=stated, problem=f"score {stated:g} is outside 0–10")
    if vector is None or version is None:
        if stated is None:
            return CvssReading(problem=f"neither a CVSS vector nor a score: {text[:80]!r}")
        return CvssReading(stated=stated)
    try:
        computed = _score(vector, version)
    except CVSSError as exc:
        return CvssReading(vector=vector, version=version, stated=stated, problem=f"invalid CVSS {version} vector: {exc}")
    problem = None
    if stated is not None and abs(stated - computed) > _TOLERANCE:
        problem = f"stated score {stated:g} does not match the vector's base score {computed:g}"
    return CvssReading(vector=vector, version=version, computed=computed, stated=stated, problem=problem)


def describe(reading: CvssReading) -> str:
    """One line for a document: ``CVSS:3.1/AV:N/... — base score 8.1 (High), computed from the vector``."""
    if reading.vector is None and reading.stated is None:
        return ""
    parts = []
    if reading.vector:
        parts.append(reading.vector)
    if reading.computed is not None:
        parts.append(f"base score {reading.computed:.1f} ({severity(reading.computed)}), computed from the vector")
    elif reading.stated is not None:
        parts.append(f"stated score {reading.stated:.1f} ({severity(reading.stated)})")
    text = " — ".join(parts)
    if reading.problem:
        text += f" — check: {reading.problem}"
    return text
