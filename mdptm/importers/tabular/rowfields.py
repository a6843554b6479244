"""One row record → the fields of an item of its kind, what stays in ``extra``, and the references to resolve.

Each kind has one reader (:meth:`RowFields.read`); what the kinds share (the common columns, a choice from
a vocabulary table, a yes/no column, a value kept with a warning) is written once here. Values are
normalised through the vocabulary; a value that cannot be normalised stays in ``extra`` under its header
with a warning naming the row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from mdptm.importers.tabular.headers import HAZARD_ID
from mdptm.importers.tabular.markings import marker_key, marker_table
from mdptm.importers.tabular.scales import RISK_FIELDS
from mdptm.importers.tabular.tables import RowRecord
from mdptm.importers.tabular.vocab import (
    Vocabulary,
    clean_text,
    combine_risk,
    header_words,
    in_part,
    is_empty,
    is_fill_in,
    norm_text,
    normalise_cwe,
    one_line,
    ordinal,
    own_risk,
    parse_bool,
    parse_choice,
    parse_harm,
    parse_risk,
    parse_status,
    parse_stride,
    split_evidence,
    split_list,
    verification_not_passed,
)
from mdptm.model import Risk
from mdptm.model.cvss import read as read_cvss
from mdptm.model.premarket import likelihood_basis

# What a reader returns: the item's fields, its extra columns, and (field, raw text) references.
Read = tuple[dict[str, Any], dict[str, Any], list[tuple[str, str, str]]]  # refs: (field, text, header)

_PORT = re.compile(
    r"^(?P<proto>\S.*?)\s*(?:[/,;:(]|\s-\s|\s–\s|\bon\b)\s*(?P<port>(?:(?:tcp|udp)\s*/?\s*)?(?:ports?\s*)?"
    r"\d{2,5}(?:\s*[-–,/]\s*\d{2,5})*(?:\s*/?\s*(?:tcp|udp))?)\s*\)?\s*$",
    re.I,
)


def split_protocol_port(text: str) -> tuple[str, str] | None:
    """A cell of a combined "Protocol / Port" column: "HTTPS / TCP 443" → ("HTTPS", "TCP 443").

    Only a trailing port number after a separator counts, so "HTTP/1.1" or "TLS 1.2" stay whole.
    """
    m = _PORT.match(text)
    if m is None:
        return None
    port = re.sub(r"\bports?\s*", "", m.group("port"), flags=re.I).strip()
    if not all(0 < int(n) < 65536 for n in re.findall(r"\d+", port)):
        return None
    return m.group("proto").strip(), port


# a word that turns "public" into its opposite: "not public", "non-public", "never publish", "no"
# "Mitigate — encrypt or move to Worker secrets": a treatment decision, then the measure
_DECISION_REST = re.compile(r"^(?P<head>[^–—:;]{1,30}?)\s*(?:[–—:;]|\s-\s)\s*(?P<rest>\S.*)$", re.S)
# "A.5.15–A.5.18, A.8.2, A.8.3": ids (and id ranges) only, as a catalogue's controls are named
_ID_ONE = r"[A-Za-z]{0,10}[-_.]?\d+(?:[.\-]\d+)*[A-Za-z]?"
_ID_LIST = re.compile(rf"(?:{_ID_ONE}(?:\s*[–—]\s*{_ID_ONE})?)(?:\s*[,;/\n]\s*{_ID_ONE}(?:\s*[–—]\s*{_ID_ONE})?)*")
_DENIES = re.compile(r"\b(?:not?|non|never|don'?t|do not|nicht|kein|keine|pas)\b|\bnon-?public|\bunpublish", re.I)


# Markings that, as the whole value of some other field, more often describe access or a licence.
_NOT_MARKINGS_ALONE = frozenset({"restricted", "proprietary"})
# a field that classes data ("Data classification", "Information classification", "CIA", "Confidentiality")
_DATA_CLASS = re.compile(r"\bdata\b|\binformation\b|\bcia\b|\bphi\b|\bpii\b|\bconfidentiality\b", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^[ \t]*([A-Za-z][\w ]{0,29}?)[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$", re.M)


class RowFields:
    """Reads row records of one source; *warn* reports a value kept as written (locator, message)."""

    def __init__(self, vocab: Vocabulary, warn: Callable[[str | None, str], None]):
        self.vocab = vocab
        self.warn = warn
        self._fails = 0  # values kept as written so far (each with a warning)
        # What a row's risk cells gave, per distinct cells, scales and headers: (risk, extra entries).
        self._risks: dict[tuple[object, ...], tuple[Risk | None, tuple[tuple[str, Any], ...]]] = {}
        # withheld_markers of sections.yaml: marking phrase (as _marker_key reads it) -> sensitivity
        self._markers = marker_table(vocab.sections)[0]
        self._per_category_said: set[tuple[str, ...]] = set()  # impact columns per category already warned of

    def read(self, kind: str, rec: RowRecord) -> Read:
        """The fields, extra columns and references *rec* gives an item of *kind*."""
        reader: Callable[[RowRecord], Read] = getattr(self, f"_{kind}")
        got = reader(rec)
        if "sensitivity" not in got[0]:
            self._marked_field(rec, got[0], got[1])
        return got

    # -- what every kind shares

    def _fail(self, rec: RowRecord, fname: str, raw: str, extra: dict[str, Any], what: str) -> None:
        self._fails += 1
        header = rec.headers.get(fname, fname)
        extra[header] = raw
        self.warn(rec.locator, f"{what} {one_line(raw)[:80]!r} (column {header!r}) not understood; kept in extra")

    def _choice(self, rec: RowRecord, fname: str, table: str, extra: dict[str, Any], what: str) -> str | None:
        raw = rec.values.get(fname)
        if raw is None:
            return None
        got = parse_choice(self.vocab, table, raw)
        if not got.ok:
            self._fail(rec, fname, raw, extra, what)
        return got.value

    def _set_choice(self, rec: RowRecord, fname: str, table: str, fields: dict[str, Any], extra: dict[str, Any], what: str) -> None:
        """A column read through a vocabulary table ("control_category", "rating") into the field of its name."""
        value = self._choice(rec, fname, table, extra, what)
        if value:
            fields[fname] = value

    def _set_flag(self, rec: RowRecord, fname: str, fields: dict[str, Any], extra: dict[str, Any], what: str) -> None:
        """A yes/no column; a value that is neither stays in extra with a warning."""
        if fname not in rec.values:
            return
        got = parse_bool(self.vocab, rec.values[fname])
        if got.value is not None:
            fields[fname] = got.value
        elif not got.ok:
            self._fail(rec, fname, rec.values[fname], extra, what)

    def _start(self, rec: RowRecord, label: str | None) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        """The columns every kind reads (description, notes, tags, sensitivity) and the one that names the
        item (*label*: a one-line "title" or "name", a "text" kept with its paragraphs)."""
        v = rec.values
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        extra.update(rec.extra)
        if "description" in v:
            fields["description"] = clean_text(v["description"])
        if "notes" in v:
            fields["notes"] = clean_text(v["notes"])
        if "tags" in v:
            fields["tags"] = split_list(self.vocab, v["tags"])
        if "sensitivity" in v:
            self._sensitivity(rec, fields)
        else:
            self._sheet_sensitivity(rec, fields)
        if label is not None and label in v:
            fields[label] = clean_text(v[label]) if label == "text" else one_line(v[label])
        return v, fields, extra

    def _sensitivity(self, rec: RowRecord, fields: dict[str, Any]) -> None:
        """Whether a row may be published. A value that is not understood ("Embargoed", "Sensitive") or that
        denies publication ("Not public", "non-public") is read as confidential, never as public: a row its
        author marked is not published by a guess. The warning names the cell."""
        raw = rec.values.get("sensitivity")
        if raw is not None and is_fill_in(raw) and raw.strip()[1:-1].strip(" {}<>[]"):
            raw = raw.strip()[1:-1].strip(" {}<>[]")  # "[Confidential]": bracketed, but said; never read as empty
        if raw is None or is_empty(self.vocab, raw):
            self._sheet_sensitivity(rec, fields)
            return
        got = parse_choice(self.vocab, "sensitivity", raw)
        if got.ok and got.value != "public":
            fields["sensitivity"] = got.value
            return
        denied = got.ok and _DENIES.search(raw) is not None
        if got.ok and not denied:
            fields["sensitivity"] = "public"
            return
        fields["sensitivity"] = "confidential"
        header = rec.headers.get("sensitivity", "sensitivity")
        why = "denies publication" if denied else "not understood"
        self.warn(
            rec.locator,
            f"sensitivity {one_line(raw)[:80]!r} (column {header!r}) {why}: read as confidential, so not published",
        )

    def _marked_field(self, rec: RowRecord, fields: dict[str, Any], extra: dict[str, Any]) -> None:
        """A field kept in extra (mdptm has no column for it, or did not understand its value) whose whole value
        is a marking that sets the item apart ("**Visibility:** Internal only", "Handling | NDA only",
        "Classification: TLP:AMBER"; ``withheld_markers`` in sections.yaml): the item is read as that
        sensitivity, never published by a guess. The warning names the field. "Restricted" and "Proprietary"
        alone also describe access or a licence ("Access: Restricted", "License: Proprietary"): no marking."""
        # a "Label: value" line of its own that a document reader left in the description ("Visibility: Internal only")
        description = str(fields.get("description") or "")
        lines = [(m.group(1), m.group(2)) for m in _LABEL_LINE.finditer(description)] if ":" in description else []
        for label, value in [*extra.items(), *lines]:
            if not isinstance(value, str) or len(value) > 60:
                continue
            key = marker_key(value)
            level = self._markers.get(key) if key not in _NOT_MARKINGS_ALONE else None
            if level is None:
                continue
            # an asset's or a data field's "Classification: Confidential" classes the data, it does not withhold
            # the item; a Traffic Light Protocol colour is never a data class
            if (rec.kind in ("asset", "element") or _DATA_CLASS.search(str(label))) and not key.startswith("tlp "):
                continue
            fields["sensitivity"] = level
            self.warn(
                rec.locator,
                f"{label!r} reads {one_line(value)!r}, a marking that sets the item apart: read as {level}, so not published",
            )
            return

    def _sheet_sensitivity(self, rec: RowRecord, fields: dict[str, Any]) -> None:
        """A row that states no sensitivity, on a sheet named for one ("Internal", "Confidential", "NDA"),
        has the sheet's: the author set those rows apart from what may be published."""
        sheet = rec.locator.rsplit("!", 1)[0].strip("'") if "!" in rec.locator else ""
        level = self.vocab.tables["sensitivity"].exact(sheet) if sheet else None
        if level is None or level == "public":
            return
        fields["sensitivity"] = level
        self.warn(rec.locator, f"no sensitivity stated on sheet {sheet!r}: read as {level} (the sheet's name), so not published")

    def _refs(self, rec: RowRecord, names: Iterable[str]) -> list[tuple[str, str, str]]:
        out = []
        for fname in names:
            raw = rec.values.get(fname)
            if raw is not None and not is_empty(self.vocab, raw):
                out.append((fname, clean_text(raw), rec.headers.get(fname, fname)))
        return out

    @staticmethod
    def _treatment_header(rec: RowRecord) -> bool:
        """Whether the row's acceptability column is a risk treatment or response (a decision), not an
        acceptance verdict."""
        return bool(header_words(rec.headers.get("acceptability", "")) & {"treatment", "response", "decision"})

    def _treatment_measure(self, rec: RowRecord) -> str | None:
        """A "Treatment" cell that names measures, not a decision ("MFA, CA Policies", "Mitigate — encrypt the
        keys"): the measures are the threat's mitigation. None for a decision alone ("Mitigate", "Accept")."""
        raw = rec.values.get("acceptability")
        # "Treatment Plan" and a tool's "TreatmentPlan" alike
        if raw is None or is_empty(self.vocab, raw) or not header_words(rec.headers.get("acceptability", "")) & {"treatment", "response"}:
            return None
        text = clean_text(raw)
        if norm_text(text) in self.vocab.treatment_decisions:
            return None  # "Mitigation" beside "Acceptance" and "Avoidance": the decision, no measure named
        if not self._decision(text):
            return text
        m = _DECISION_REST.match(text)  # "Mitigate — encrypt or move to Worker secrets"
        if m is not None and len(m.group("rest").split()) >= 2 and parse_status(self.vocab, m.group("head")).value == "mitigated":
            return m.group("rest").strip()  # "Accept: facility controls documented" gives a reason, "Transfer: …" another's
        return None

    def _decision(self, text: str) -> bool:
        """Whether a treatment cell states a decision ("Accept", "Risk accepted by the CISO", "Monitor"), not a
        measure whose sentence holds a status word ("Perform thickness inspections and monitor boiler trends",
        "Inspect transfer equipment"): a cell of five words or more is a decision only when one opens it."""
        if not parse_status(self.vocab, text).ok:
            return False
        words = norm_text(text).split()
        if len(words) < 5:
            return True
        table = self.vocab.tables["threat_status"]
        return any(table.exact(" ".join(words[:n])) is not None for n in range(1, min(table.longest, len(words)) + 1))

    # -- one reader per kind

    def _privacy_parts(self, cell: str) -> tuple[list[str], str] | None:
        """The LINDDUN categories of a category cell that lists STRIDE ones too, and the rest of the cell; None
        when the cell names no LINDDUN category beside another (a lone one is read as before)."""
        table = self.vocab.tables.get("linddun")
        parts = split_list(self.vocab, cell)
        if table is None or len(parts) < 2:
            return None
        said = [p for p in parts if table.exact(p) is not None]
        rest = [p for p in parts if table.exact(p) is None]
        if not said or not rest:
            return None
        return said, ", ".join(rest)

    def _hazards(self, rec: RowRecord, cell: str, extra: dict[str, object]) -> dict[str, list[str]]:
        """The hazard ids a threat's row names. A cell opening with ids ("HAZ-001, HAZ-002 (altered processing)")
        gives those ids, its other words kept as written; a bare "Hazard" column (a threat title's word, read as
        hazards because its cells open with ids) gives no hazard from a cell of words ("Depends on the change");
        a "Related hazards" column of names keeps each phrase whole."""
        header = rec.headers.get("hazards", "Hazards")
        lead = HAZARD_ID.match(cell.strip())
        if lead is not None and lead.start() == 0:
            ids = list(dict.fromkeys(HAZARD_ID.findall(cell)))
            if re.sub(r"[\W_]+", "", HAZARD_ID.sub("", cell)):
                extra[header] = one_line(cell)
            return {"hazards": ids}
        if is_empty(self.vocab, cell):
            return {}
        if set(norm_text(header).split()) == {"hazard"}:
            extra[header] = one_line(cell)
            return {}
        parts = split_list(self.vocab, cell)
        if any(" " in p or len(p) > 24 for p in parts):  # hazard names rather than ids: keep each phrase whole
            parts = [one_line(p) for p in re.split(r"\s*[\n;]\s*", cell) if p.strip() and not is_empty(self.vocab, p)]
        return {"hazards": parts} if parts else {}

    def _threat(self, rec: RowRecord) -> Read:
        v, fields, extra = self._start(rec, "title")
        privacy = self.vocab.tables["linddun"].exact(v["stride"]) if "stride" in v and "linddun" in self.vocab.tables else None
        mixed = self._privacy_parts(v["stride"]) if "stride" in v and privacy is None else None
        if mixed is not None:
            # "identifiability, information-disclosure": a LINDDUN category beside a STRIDE one; the privacy one kept
            # as written, the STRIDE one read
            named_privacy_parts, v["stride"] = mixed
            extra["LINDDUN category"] = ", ".join(named_privacy_parts)
        if privacy is not None:
            # "Linkability", "Non-repudiation": a LINDDUN category, no STRIDE one; kept as written
            extra["LINDDUN category"] = one_line(v["stride"])
            if privacy == "disclosure_of_information":
                fields["stride"] = ["information_disclosure"]
        elif "stride" in v:
            got = parse_stride(self.vocab, v["stride"])
            if got.value:
                fields["stride"] = got.value
            if not got.ok and not is_empty(self.vocab, v["stride"]):
                self._fail(rec, "stride", v["stride"], extra, "STRIDE value")
        title = fields.get("title") or ""
        named_privacy = self.vocab.tables["linddun"].exact(title) if "stride" not in v and "linddun" in self.vocab.tables else None
        if named_privacy is not None and title:
            # a privacy register's row titled by its LINDDUN category ("Linking", "Data disclosure"): kept as written
            extra["LINDDUN category"] = title
            if named_privacy == "disclosure_of_information":
                fields["stride"] = ["information_disclosure"]
        if "stride" not in fields and "stride" not in v and title and len(title) >= 3:
            # a full name ("Spoofing", "Denial of Service (DDoS)": its bracket only glosses it), not "Spoof"
            named = self.vocab.stride_names.exact(title) or self.vocab.stride_names.exact(re.sub(r"\s*\([^()]*\)$", "", title))
            if named is not None:
                fields["stride"] = [named]  # a risk row titled "Spoofing": the category is what it names
        for key, mark in v.items():
            if key.startswith("stride:"):
                flag = parse_bool(self.vocab, mark)
                if flag.value:
                    fields.setdefault("stride", [])
                    if key[7:] not in fields["stride"]:
                        fields["stride"].append(key[7:])
                elif not flag.ok:
                    self._fail(rec, key, mark, extra, "STRIDE mark")
        # "Risk acceptability" gives the status only when no status column does; beside one it is kept as written.
        measure = self._treatment_measure(rec)
        said = clean_text(v.get("acceptability", ""))
        if (
            measure is None
            and len(norm_text(said).split()) >= 5
            and header_words(rec.headers.get("acceptability", "")) & {"treatment", "response"}
        ):
            # "Monitor vibration and maintain spare equipment": a sentence opened by a decision word may be a
            # measure; it is read as the decision, and said so
            self.warn(
                rec.locator,
                f"treatment {one_line(said)[:80]!r} (column {rec.headers.get('acceptability')!r}) read as a decision, no "
                "measure (a status word opens it); kept in extra: check it",
            )
        decided = measure is None or self._decision(clean_text(v.get("acceptability", "")))
        status_field = "status" if "status" in v else "acceptability" if "acceptability" in v and decided else None
        if "acceptability" in v and ("status" in v or not decided):
            extra[rec.headers.get("acceptability", "acceptability")] = one_line(v["acceptability"])
        if status_field is not None:
            st = parse_status(self.vocab, v[status_field])
            if st.value == "mitigated" and status_field == "acceptability" and self._treatment_header(rec):
                # "Mitigate", "Reduce — EDR, backups": a decision to treat the risk, not a statement that it is
                # treated; the status stays not stated and the decision is kept as written
                extra.setdefault(rec.headers.get("acceptability", "acceptability"), one_line(v["acceptability"]))
            elif (
                st.value == "mitigated"
                and status_field == "status"
                and "disposition" in norm_text(rec.headers.get("status", "")).split()
                and norm_text(v["status"]) in self.vocab.disposition_decisions
            ):
                # "disposition: mitigate" (beside "accept"): what was decided for the threat, not that it is mitigated;
                # the decision is kept as written ("Mitigated" there is a status) and a "Status" column beside it
                # ("closed") says where the threat stands; without one the status stays not stated
                extra.setdefault(rec.headers.get("status", "status"), one_line(v["status"]))
                beside = next((k for k in rec.extra if norm_text(k) == "status" and parse_status(self.vocab, rec.extra[k]).value), None)
                if beside is not None:
                    fields["status"] = parse_status(self.vocab, rec.extra[beside]).value
                else:
                    said = f"{one_line(v['status'])!r} (column {rec.headers.get('status')!r}) is a decision to mitigate: status not stated"
                    self.warn(rec.locator, said)
            elif st.value:
                fields["status"] = st.value
            elif not st.ok:
                self._fail(rec, status_field, v[status_field], extra, "status")
        said_na = _NOT_APPLICABLE.match(clean_text(v.get("description", ""))) if "status" not in fields else None
        if said_na is not None and said_na.group("na"):
            # "Open redirect | N/A — no redirects or filesystem ops in handler | —": the threat was weighed and does
            # not apply here; the words after "N/A" say why
            fields["status"] = "not_applicable"
            fields.setdefault("rationale", clean_text(said_na.group("why")))
            self.warn(
                rec.locator, f"{rec.headers.get('description', 'description')!r} says N/A: read as not applicable, its reason the rationale"
            )
        if "mitigated" in v:
            # "Mitigated (Y/N)": Y is mitigated, N open; beside a status column it is kept as written
            flag = parse_bool(self.vocab, v["mitigated"])
            if "status" in fields or flag.value is None:
                if not flag.ok or "status" in fields:
                    extra[rec.headers.get("mitigated", "mitigated")] = one_line(v["mitigated"])
                if not flag.ok:
                    said = one_line(v["mitigated"])[:40]
                    self.warn(rec.locator, f"{said!r} (column {rec.headers.get('mitigated')!r}) is no yes or no; kept in extra")
            else:
                fields["status"] = "mitigated" if flag.value else "open"
        if "threat_agent" in v and not is_empty(self.vocab, v["threat_agent"]):
            # who would do it ("Malicious Server"): said of the threat, kept as written
            extra[rec.headers.get("threat_agent", "threat agent")] = one_line(v["threat_agent"])
        self._impact_by_category(rec, extra)
        for base in RISK_FIELDS:
            risk = self._risk(rec, base, extra)
            if risk is not None:
                fields[base] = risk
        if "patient_harm" in v and norm_text(v["patient_harm"]) in ("none", "no harm", "no patient harm"):
            fields["patient_harm"] = "none"
        elif "patient_harm" in v:
            got_h = parse_harm(self.vocab, v["patient_harm"])
            if got_h.value:
                fields["patient_harm"] = got_h.value
            elif not got_h.ok:
                self._fail(rec, "patient_harm", v["patient_harm"], extra, "patient harm")
        self._set_flag(rec, "multi_patient", fields, extra, "multi-patient value")
        if "rationale" in v:
            fields["rationale"] = clean_text(v["rationale"])
        if "cvss" in v and not is_empty(self.vocab, v["cvss"]):
            fields["cvss"] = one_line(v["cvss"])
        self._cvss(rec, fields, extra)
        if "hazards" in v:
            fields.update(self._hazards(rec, v["hazards"], extra))
        if "cve" in v and not is_empty(self.vocab, v["cve"]):
            cves = list(dict.fromkeys(m.upper() for m in re.findall(r"\bCVE-\d{4}-\d{4,}\b", v["cve"], re.I)))
            if cves:
                fields["cve"] = cves
            else:
                self._fail(rec, "cve", v["cve"], extra, "CVE id")
        self._set_flag(rec, "kev", fields, extra, "CISA KEV value")
        for fname, prefix in (("cwe", "CWE"), ("capec", "CAPEC")):
            if fname in v:
                got_l = normalise_cwe(self.vocab, v[fname], prefix)
                if got_l.value:
                    fields[fname] = got_l.value
                if not got_l.ok:
                    self._fail(rec, fname, v[fname], extra, f"{prefix} id")
        linked: tuple[str, ...] = ("targets", "assets", "controls", "controls.more", "views")
        said_na = _NOT_APPLICABLE.match(v.get("controls", ""))
        if said_na is not None and not said_na.group("na") and is_empty(self.vocab, v["controls"]):
            said_na = None  # "None identified": an empty cell, as before ("none yet" says why there is none)
        if said_na is not None:
            # "N/A — single-hop, no chain walker": why no measure is needed, never a control named so
            header = rec.headers.get("controls", "Mitigation")
            extra[header] = clean_text(v["controls"])
            # "N/A — why": the why; "none yet", "none if counts ignore visibility": the whole cell says it
            fields.setdefault("rationale", clean_text(said_na.group("why") if said_na.group("na") else v["controls"]))
            linked = tuple(f for f in linked if f != "controls")
            said = one_line(v["controls"])[:50]
            self.warn(rec.locator, f"mitigation {said!r} (column {header!r}) says none applies: no control, kept as the rationale")
        absent = _NONE_IN_PLACE.match(v.get("controls", "")) if said_na is None else None
        if absent is not None:
            # "Existing control: No separate admin account evidenced": the cell says the measure is missing, never a
            # control in place named so
            header = rec.headers.get("controls", "Mitigation")
            extra[header] = clean_text(v["controls"])
            linked = tuple(f for f in linked if f != "controls")
            said = one_line(v["controls"])[:50]
            self.warn(rec.locator, f"mitigation {said!r} (column {header!r}) says no measure is in place: no control, kept in extra")
        refs = self._refs(rec, linked)
        if measure is not None and not v.get("controls.more") and (not v.get("controls") or _ID_LIST.fullmatch(v["controls"].strip())):
            # "Treatment: MFA, CA Policies" beside no mitigation text (or only a catalogue's ids, "A.8.2, A.8.5"):
            # the measures are the threat's mitigation
            refs.append(("controls", measure, rec.headers.get("acceptability", "treatment")))
        return fields, extra, refs

    def _cvss(self, rec: RowRecord, fields: dict[str, Any], extra: dict[str, Any]) -> None:
        """A CVSS score column, and a warning naming the row when the vector or score does not hold."""
        raw = rec.values.get("cvss_score")
        if raw is not None and not is_empty(self.vocab, raw):
            try:
                score = float(one_line(raw).replace(",", "."))
                if not math.isfinite(score):  # "NaN", "inf", "1e999": JSON has no such number
                    raise ValueError(raw)
                fields["cvss_score"] = score
            except ValueError:
                self._fail(rec, "cvss_score", raw, extra, "CVSS score")
        if "cvss" in fields or "cvss_score" in fields:
            reading = read_cvss(fields.get("cvss"), fields.get("cvss_score"))
            if reading.problem:
                header = rec.headers.get("cvss", rec.headers.get("cvss_score", "cvss"))
                self.warn(rec.locator, f"CVSS (column {header!r}): {reading.problem}; kept as written")

    def _impact_by_category(self, rec: RowRecord, extra: dict[str, Any]) -> None:
        """An impact rated in a column per category ("Safety | Financial | Operational | Privacy", ISO/SAE 21434's
        SFOP) beside no severity column: the threat's severity is the highest of them (each kept as written under
        its header; a "Safety" column read as the patient harm is kept there too). Nothing when a rating is not
        understood, or fewer than two categories are rated."""
        v = rec.values
        if "risk.severity" in v or "risk" in v and not is_empty(self.vocab, v["risk"]) and _has_factors(v["risk"]):
            return
        named = self.vocab.tables["impact_categories"]
        cells: list[tuple[str, str]] = []
        for header, text in rec.extra.items():
            if named.exact(header) is not None and len(norm_text(header)) > 1:
                cells.append((header, text))
        harm_header = rec.headers.get("patient_harm", "")
        if "patient_harm" in v and named.exact(harm_header) is not None and len(norm_text(harm_header)) > 1:
            cells.insert(0, (harm_header, v["patient_harm"]))
        if len(cells) < 2:
            return
        ranked = [(ordinal(self.vocab, "severity", text), header, text) for header, text in cells if not is_empty(self.vocab, text)]
        if not ranked or any(r is None for r, _h, _t in ranked):
            return
        top = max(ranked, key=lambda x: x[0] or 0.0)
        headers = tuple(h for h, _t in cells)
        v["risk.severity"] = top[2]
        rec.headers["risk.severity"] = f"highest of {', '.join(headers)}"
        if rec.scales.get("risk.likelihood"):  # one scale for every row, the likelihood's (not one per highest value)
            rec.scales["risk.severity"] = rec.scales["risk.likelihood"]
        if harm_header in headers:
            extra.setdefault(harm_header, one_line(v["patient_harm"]))
        if headers not in self._per_category_said:
            self._per_category_said.add(headers)
            self.warn(
                rec.locator,
                f"impact rated per category ({', '.join(headers)}) with no severity column: each threat's severity is the "
                f"highest of them ({top[1]}: {one_line(top[2])} here); each kept as written",
            )

    def _risk(self, rec: RowRecord, base: str, extra: dict[str, Any]) -> Risk | None:
        """:meth:`_read_risk`, read once per distinct cells, scales and headers (a register repeats "3 x 4 = 12"
        and "Medium" on every row): the row gets its own copy of the risk and the same extra entries.
        A reading that kept a value as written (and warned, naming the row) is done again for each row."""
        v, scales, headers = rec.values, rec.scales, rec.headers
        lik_f, sev_f, level_f = f"{base}.likelihood", f"{base}.severity", f"{base}.level"
        cells = (v.get(base), v.get(lik_f), v.get(sev_f), v.get(level_f))
        on = (scales.get(base), scales.get(lik_f), scales.get(sev_f), headers.get(base), headers.get(lik_f), headers.get(level_f))
        # a CVSS beside it: the severity is the level; a scale no header states is said to be inferred
        key = (base, *cells, *on, bool(v.get("cvss") or v.get("cvss_score")), _header_scale(rec, base))
        hit = self._risks.get(key)
        if hit is not None:
            kept, entries = hit
            extra.update(entries)
            return own_risk(kept) if kept is not None else None
        fails, added = self._fails, dict[str, Any]()
        risk = self._read_risk(rec, base, added)
        extra.update(added)
        if fails == self._fails and len(self._risks) < 65536:  # nothing kept as written: the same for every such row
            self._risks[key] = (own_risk(risk) if risk is not None else None, tuple(added.items()))
        return risk

    def _read_risk(self, rec: RowRecord, base: str, extra: dict[str, Any]) -> Risk | None:
        risk = self._read_risk_cells(rec, base, extra)
        if risk is not None and risk.level and risk.scale is None and not (risk.likelihood or risk.severity) and risk.score is None:
            header = rec.headers.get(base) or rec.headers.get(f"{base}.level") or ""
            if "priority" in norm_text(header).split():
                # "Priority: High" alone: the author's ranking of the threat, read as its level with no likelihood or
                # severity behind it; the scale says so wherever the risk is shown
                risk.scale = f"{one_line(header)} {PRIORITY_ONLY}"
        if risk is not None and risk.scale and _BARE_SCALE.match(risk.scale) and not _header_scale(rec, base):
            # "5x5" worked out from the values (likelihoods and impacts up to 5, or words) where no header names a
            # scale: said so, never shown as the register's own
            risk.scale = f"{risk.scale} {INFERRED}"
        return risk

    def _read_risk_cells(self, rec: RowRecord, base: str, extra: dict[str, Any]) -> Risk | None:
        v = rec.values
        overall = v.get(base)
        lik, sev = v.get(f"{base}.likelihood"), v.get(f"{base}.severity")
        risk: Risk | None = None
        if overall is not None:
            got = parse_risk(self.vocab, overall, rec.scales.get(base))
            header = rec.headers.get(base, base)
            if got.ok:
                risk = got.value
                if risk is not None:
                    extra[header] = one_line(overall)
                    if risk.likelihood is not None and risk.score is not None and _severity_first(header):
                        # "Initial SxP" of "5x3=15": severity 5, probability 3 (a product is read likelihood first)
                        risk.likelihood, risk.severity = risk.severity, risk.likelihood
            else:
                self._fail(rec, base, overall, extra, "risk")
        stated = v.get(f"{base}.level")
        if lik is not None or sev is not None:
            combined = combine_risk(self.vocab, lik, sev, rec.scales.get(f"{base}.likelihood"), rec.scales.get(f"{base}.severity"))
            if combined is not None and lik is not None:
                combined.likelihood_basis = likelihood_basis(rec.headers.get(f"{base}.likelihood"))  # cached per header
            if combined is not None:
                if risk is None:
                    risk = combined
                else:
                    risk.likelihood = combined.likelihood or risk.likelihood
                    risk.severity = combined.severity or risk.severity
                    if risk.level is None:
                        risk.level = combined.level
                    elif lik is None and _worded(sev) and not _worded(overall):
                        # "Severity High" beside a bare score and no likelihood: the author's rating of the row,
                        # kept as stated rather than recomputed from the score on a scale it never named
                        said = parse_risk(self.vocab, sev or "", None, shared=True)
                        if said.ok and said.value is not None and said.value.level:
                            risk.level = said.value.level
                    if risk.score is None:
                        risk.score = combined.score
                    risk.likelihood_basis = combined.likelihood_basis or risk.likelihood_basis
                    if risk.scale is None or (risk.scale.startswith("1-") and not _beyond(rec.scales.get(base), combined.scale)):
                        # the score's scale is the two factors' ("5x5"), unless its header states a larger one: an
                        # RPN (severity x occurrence x detection, out of 1000) keeps the scale it is on
                        risk.scale = combined.scale or risk.scale
        if (
            base == "risk"
            and overall is None
            and stated is None
            and _worded(sev)
            and norm_text(rec.headers.get(f"{base}.severity", "")) in _SEVERITY_RATING_HEADERS
            and any(not is_empty(self.vocab, v.get(f)) for f in ("cvss", "cvss_score"))
        ):
            # "Severity: Critical" beside a CVSS score: the vulnerability's severity rating, the row's stated level
            # (not recomputed from an exploitability such as "Easy")
            said = parse_risk(self.vocab, sev or "", None, shared=True)
            if said.ok and said.value is not None and said.value.level:
                risk = risk or Risk(severity=one_line(sev or ""))
                risk.level = said.value.level
        if stated is not None and not is_empty(self.vocab, stated):
            got_l = parse_risk(self.vocab, stated, None, shared=True)  # only its level is read
            header = rec.headers.get(f"{base}.level", f"{base}.level")
            if got_l.ok and got_l.value is not None and got_l.value.level:
                # The level the author stated is kept as stated, never recomputed from the score.
                risk = risk or Risk()
                risk.level = got_l.value.level
                extra[header] = one_line(stated)
            else:
                self._fail(rec, f"{base}.level", stated, extra, "risk level")
        return risk

    def _control(self, rec: RowRecord) -> Read:
        v, fields, extra = self._start(rec, "title")
        self._set_choice(rec, "category", "control_category", fields, extra, "control category")
        self._set_choice(rec, "responsibility", "responsibility", fields, extra, "responsibility")
        self._set_choice(rec, "status", "control_status", fields, extra, "control status")
        said = v.get("status")
        if fields.get("status") == "not_implemented" and said is not None and self._not_a_control(said):
            # "Risk accepted", "N/A": read as not in place, and kept as written (what it means is more than that)
            extra[rec.headers.get("status", "status")] = one_line(said)
        elif said is not None and fields.get("status") in ("planned", "not_implemented") and self._more_than_a_status(said):
            # "Postponed to 2.1", "Planned for Q3 2027", "Deferred - risk accepted": the release or date it is planned
            # for, or why it is not in place, is more than the status word
            extra[rec.headers.get("status", "status")] = one_line(said)
            if self.vocab.later_stage is not None and self.vocab.later_stage.match(said):
                self.warn(rec.locator, f"control status {one_line(said)!r} names a stage of the work: read as planned (later work)")
            elif fields.get("status") == "planned" and (part := in_part(self.vocab, said)) is not None:
                self.warn(rec.locator, f"control status {one_line(said)!r}: {part!r} says in place only in part, read as planned")
        if "verification" in v:
            refs = [one_line(x) for x in split_evidence(self.vocab, v["verification"])]
            failed = verification_not_passed(self.vocab, extra) if refs else None
            if failed is None:
                fields["verification"] = refs
            else:
                # "TC-202 | Fail — fix planned for 2.1": the test shows the control does not work yet; cited as
                # verification evidence it made the control count as verified
                header = rec.headers.get("verification", "verification")
                extra[header] = one_line(v["verification"])
                fields["verification_failed"] = f"{'; '.join(refs)}: {failed}"
                self.warn(
                    rec.locator,
                    f"verification {one_line(v['verification'])[:60]!r} (column {header!r}) did not pass ({failed[:60]!r}): "
                    "kept in extra, not cited as evidence",
                )
        return fields, extra, self._refs(rec, ("threats",))

    def _more_than_a_status(self, said: str) -> bool:
        """A control status cell that says more than one of the status words ("Postponed to 2.1")."""
        return self.vocab.tables["control_status"].exact(said) is None

    def _not_a_control(self, said: str) -> bool:
        """A control status that says no control is in place for another reason than "not implemented": the risk
        is accepted ("Risk accepted", the threat status words for an acceptance) or the control does not apply ("N/A")."""
        return said.strip().lower() in self.vocab.control_not_applicable or self.vocab.tables["threat_status"].exact(said) == "accepted"

    def _element(self, rec: RowRecord) -> Read:
        v, fields, extra = self._start(rec, "name")
        self._set_choice(rec, "kind", "element_kind", fields, extra, "element type")
        if "dormant_interfaces" in v:
            lines = [one_line(x) for x in v["dormant_interfaces"].splitlines()]  # one per line; ";" stays inside one
            fields["dormant_interfaces"] = [x for x in lines if x and not is_empty(self.vocab, x)]
        for fname in ("key_lifecycle", "sessions", "default_settings"):
            if fname in v and not is_empty(self.vocab, v[fname]):
                fields[fname] = clean_text(v[fname])
        return fields, extra, self._refs(rec, ("trust_zone",))

    def _flow(self, rec: RowRecord) -> Read:
        v, fields, extra = self._start(rec, "name")
        ends = _ARROW.split(one_line(v.get("source", ""))) if "target" not in v and "peer" not in v else []
        if len(ends) == 2 and all(e.strip() for e in ends):
            # "| Boundary | From → To |" with "Browser → EC2": the one column holds both ends of the flow
            v["source"], v["target"] = ends[0].strip(), ends[1].strip()
            rec.headers["target"] = rec.headers.get("source", "source")
        for fname in ("protocol", "port"):
            if fname in v and not is_empty(self.vocab, v[fname]):
                fields[fname] = one_line(v[fname])
        if "protocol" in fields and "port" not in fields:
            both = split_protocol_port(fields["protocol"])  # a "Protocol / Port" column: "HTTPS / TCP 443"
            if both is not None:
                fields["protocol"], fields["port"] = both
        for fname in ("authentication", "encryption"):
            if fname in v:
                text = one_line(v[fname])
                low = text.lower()
                if low in self.vocab.flow_security_none:
                    fields[fname] = "none"
                elif low not in self.vocab.flow_security_unknown:
                    fields[fname] = text
        self._set_flag(rec, "bidirectional", fields, extra, "direction")
        return fields, extra, self._refs(rec, ("source", "target", "peer", "data"))

    def _asset(self, rec: RowRecord) -> Read:
        v, fields, extra = self._start(rec, "name")
        self._set_choice(rec, "kind", "asset_kind", fields, extra, "asset type")
        for fname in ("confidentiality", "integrity", "availability"):
            self._set_choice(rec, fname, "rating", fields, extra, fname)
        if "disposal" in v:
            fields["disposal"] = clean_text(v["disposal"])
        return fields, extra, self._refs(rec, ("stored_in",))

    def _trust_zone(self, rec: RowRecord) -> Read:
        v, fields, extra = self._start(rec, "name")
        if "trust_level" in v and not is_empty(self.vocab, v["trust_level"]):
            m = re.match(r"^\s*(-?\d+)(?:\.0+)?\s*(?:\(.*\))?\s*$", v["trust_level"])
            if m:
                fields["trust_level"] = int(m.group(1))
            else:
                self._fail(rec, "trust_level", v["trust_level"], extra, "trust level")
        return fields, extra, []

    def _assumption(self, rec: RowRecord) -> Read:
        _v, fields, extra = self._start(rec, "text")
        self._set_choice(rec, "responsibility", "responsibility", fields, extra, "responsibility")
        return fields, extra, []

    def _out_of_scope(self, rec: RowRecord) -> Read:
        v, fields, extra = self._start(rec, "text")
        if "rationale" in v:
            fields["rationale"] = clean_text(v["rationale"])
        return fields, extra, []


# "Browser → EC2", "Proxy -> WSGI" in one cell: the two ends of a flow
_ARROW = re.compile(r"\s*(?:→|->|⟶|⇒|=>)\s*")

# "N/A — single-hop, no chain walker", "Not applicable: no parser": no measure applies, and why. "none specific",
# "none yet", "none if counts ignore visibility" in a control column: no measure is in place, and the rest says why.
_NOT_APPLICABLE = re.compile(
    r"^\W*(?:(?P<na>n/a|n\.a\.|not\s+applicable)\W*?\s*[—–:;,(-]\s*|none\s*[—–:;,(-]?\s+)(?P<why>\w.*)$", re.I | re.S
)


# "No separate admin account evidenced", "No MFA in place": a measure said to be missing. Only words that say whether
# something is in place close such a cell: "No remote access implemented" may be a design measure (no such port).
_NONE_IN_PLACE = re.compile(r"^\W*no\s+\S.*\s(?:evidenced|in\s+place|documented|enforced)\W*$", re.I | re.S)


def none_applies(text: str) -> bool:
    """A mitigation cell saying that no measure applies or is in place, and why ("N/A — …", "none yet")."""
    return _NOT_APPLICABLE.match(text) is not None


# A vulnerability's severity rating, the level CVSS gives its score ("Critical" for 9.1): not its impact
_SEVERITY_RATING_HEADERS = frozenset({"severity", "severity rating", "cvss severity", "vulnerability severity", "base severity"})


def _severity_first(header: str) -> bool:
    """A header that writes its products severity first: "Initial SxP", "Severity x Probability", "S×O"."""
    words = norm_text(header.replace("×", " x ")).split()
    if any(w in ("sxp", "sxl", "sxo") for w in words):
        return True
    for first in ("s", "severity", "sev"):
        for k in range(len(words) - 2):
            if words[k] == first and words[k + 1] == "x" and words[k + 2] in ("p", "l", "o", "probability", "likelihood", "occurrence"):
                return True
    return False


def _worded(cell: str | None) -> bool:
    """A rating written as a word ("High", "Medium (3)"), not as a number."""
    text = (cell or "").strip()
    return bool(text) and not text[:1].isdigit()


INFERRED = "(inferred)"
PRIORITY_ONLY = "as stated (no likelihood or severity)"
_BARE_SCALE = re.compile(r"^(?:\d+x\d+|1-\d+)$")


def _header_scale(rec: RowRecord, base: str) -> bool:
    """Whether a header of the row's table states the scale of the risk *base* ("Likelihood (1-5)"), rather
    than the importer working it out from the values."""
    return any(rec.scales.get(f) and f not in rec.inferred_scales for f in (base, f"{base}.likelihood", f"{base}.severity"))


def _has_factors(text: str) -> bool:
    """A risk cell written with its factors ("4 x 5 = 20"): it states the severity itself."""
    return bool(re.search(r"\d\s*[x×*]\s*\d", text))


def _beyond(hint: int | None, product: str | None) -> bool:
    """The scale a score's header states (1000 for an RPN) is larger than the product of the factors ("10x10")."""
    if hint is None or not product or "x" not in product:
        return False
    a, _, b = product.partition("x")
    return a.isdigit() and b.isdigit() and hint > int(a) * int(b)
