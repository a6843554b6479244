"""The scale each risk column of one table is on ("1-5", "1-25"), read from its header or inferred from its values.

Kept apart from the row readers because a scale belongs to a column, not to a row: every row of a table
is read on the scale found here.
"""

from __future__ import annotations

import re

from mdptm.importers.tabular.tables import RowRecord
from mdptm.importers.tabular.vocab import Vocabulary, ordinal, scale_for

RISK_FIELDS = ("risk", "residual_risk")
_NOT_WORDS = re.compile(r"\(.*?\)|\d")  # what a likelihood or severity label is written with besides its words
_SCORE = re.compile(r"^\s*(\d{1,15}(?:\.\d{1,15})?)(?!\d)\s*(?:[x×*]\s*(\d{1,15}(?:\.\d{1,15})?)(?!\d))?")  # as vocab's numbers


_RANK_WORDS = frozenset({"priority", "rank", "#"})


def _keep_ranks(records: list[RowRecord]) -> None:
    """A "Priority" or "Rank" column numbering the rows 1, 2, 3 … in order is the author's ranking of them, not a
    rating: read as a score it would put the first (most urgent) row lowest on an invented 1-n scale. Such a
    column is kept in extra, as written, and gives no risk. Three rows at least: "1", "2" alone may be ratings."""
    if len(records) < 3:
        return
    for f in [f for f in records[0].values if f.split(".")[0] in RISK_FIELDS]:
        header = records[0].headers.get(f, "")
        if not _RANK_WORDS & set(header.lower().replace("*", " ").split()):
            continue
        cells = [rec.values.get(f, "").strip() for rec in records]
        if cells != [str(n) for n in range(1, len(records) + 1)]:
            continue
        for rec in records:
            rec.extra.setdefault(rec.headers.get(f, header), rec.values.pop(f))


def infer_scales(records: list[RowRecord], vocab: Vocabulary) -> None:
    """The scale of each risk column, from its header ("(1-5)") or else from the values it holds.

    Likelihood and severity columns before and after controls share a scale; a label from the word
    tables ("Likely", "Rare (1)") puts it on their 5-point scale. A score beside separate likelihood and
    severity columns is on their product's scale, and a column of products ("4 x 5 = 20") on the
    square of its factors' scale, so that a bare score is read on the same scale.
    """
    if not records:
        return
    _keep_ranks(records)
    present = [f for f in records[0].scales if f.split(".")[0] in RISK_FIELDS]
    found: dict[str, int] = {}
    tops: dict[str, int] = {}
    for part in ("likelihood", "severity"):
        cols = [f for f in present if f.endswith("." + part)]
        hinted = [h for h in (records[0].scales.get(f) for f in cols) if h]
        top = 0.0
        words = vocab.likelihood_words if part == "likelihood" else vocab.severity_words
        for f in cols:
            for raw in dict.fromkeys(rec.values.get(f, "") for rec in records):  # a column repeats few values
                if not raw.strip():
                    continue
                value = ordinal(vocab, part, raw)
                if words.find(_NOT_WORDS.sub(" ", raw)) is not None:
                    top = max(top, 5.0)
                if value is not None:
                    top = max(top, value)
        scale = max(hinted) if hinted else (scale_for(vocab, top) if top else None)
        if scale and not hinted:
            tops[part] = scale
        for f in cols:
            if scale and not records[0].scales.get(f):
                found[f] = scale
    if len(tops) == 2 and tops["likelihood"] != tops["severity"]:
        # Likelihood values that stop at 4 beside severities up to 5 are on the same 5-point matrix.
        side = max(tops.values())
        for f in found:
            found[f] = side
    guessed: list[str] = []
    for base in RISK_FIELDS:
        if base not in present or records[0].scales.get(base):
            continue
        lik = found.get(f"{base}.likelihood") or records[0].scales.get(f"{base}.likelihood")
        sev = found.get(f"{base}.severity") or records[0].scales.get(f"{base}.severity")
        if lik and sev:
            found[base] = lik * sev
            continue
        top = 0.0
        factor = 0.0
        for raw in dict.fromkeys(rec.values.get(base, "") for rec in records):
            m = _SCORE.match(raw)
            if not m:
                continue
            if m.group(2):
                factor = max(factor, float(m.group(1)), float(m.group(2)))
            else:
                top = max(top, float(m.group(1)))
        if factor:
            side = scale_for(vocab, factor)
            found[base] = side * side
        elif top > 0:
            found[base] = scale_for(vocab, top)
            guessed.append(base)
    # A bare residual score ("4") beside pre-mitigation scores up to 16 is on their scale, not on 1-4.
    shared = [found.get(b) or records[0].scales.get(b) for b in RISK_FIELDS if b in present]
    widest = max((x for x in shared if x), default=None)
    for base in guessed:
        if widest:
            found[base] = widest
    inferred = frozenset(found)  # every scale found here came from the values, none from a header
    for rec in records:
        rec.scales.update(found)
        rec.inferred_scales = rec.inferred_scales | inferred
