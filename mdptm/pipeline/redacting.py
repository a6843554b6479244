"""``mdptm redact``: write the public model of a model file, leak-scanned before it is kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from mdptm.base.output import check_file_outputs, staged_file, write_json
from mdptm.model.io import dumps, fmt_for, load
from mdptm.redaction.leakscan import LeakError, scan
from mdptm.redaction.redact import RedactionLog, load_policy, property_terms, redact


def redact_file(
    model: Path, output: Path, *, policy: Path | None = None, log: Path | None = None, documents: Sequence[Path] = ()
) -> RedactionLog:
    """Redact *model* by *policy* (default: the built-in one) into *output* (.json or .yaml).

    The properties of the input *documents* (author, company, comments) become terms too. The public
    model is scanned for every withheld term before it replaces *output*: a hit raises
    :class:`LeakError` and nothing is written. The redaction *log* (internal: it names what was
    withheld) is written only after the model.
    """
    check_file_outputs({"-o": output, "--log": log}, [model, policy, *documents])
    internal = load(model)
    terms = property_terms(documents, keep=[internal.product.manufacturer])
    public, redaction_log = redact(internal, load_policy(policy), extra_terms=terms)
    with staged_file(output) as tmp:
        tmp.write_text(dumps(public, fmt_for(output)), encoding="utf-8", newline="\n")
        hits = [replace(h, file=output.name) for h in scan(tmp, redaction_log.needles())]
        if hits:
            raise LeakError(hits)
    if log is not None:
        with staged_file(log) as tmp:
            write_json(tmp, redaction_log.model_dump(mode="json"))
    return redaction_log
