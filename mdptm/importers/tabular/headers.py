"""Header rows → a table kind and its column fields. A header row is scored by synonym hits of the
vocabulary; the columns it leaves unmapped or maps wrongly are corrected by what their cells hold (ids,
links, STRIDE letters, a second title column)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mdptm.importers.tabular.grid import Classified, Column, Grid
from mdptm.importers.tabular.rows import _group_row, _lone_group_cell, other_row
from mdptm.importers.tabular.stride import _stride_cell, _stride_header
from mdptm.importers.tabular.vocab import (
    HeaderMatch,
    KindSpec,
    Vocabulary,
    is_empty,
    match_header,
    mitigation_status,
    norm_text,
    one_line,
    parse_choice,
    parse_harm,
    parse_level,
    parse_risk,
    parse_status,
    parse_stride,
    skipped_hits,
)


def classify(vocab: Vocabulary, headers: list[str], context: str = "", only: str | None = None, near: str = "") -> Classified | None:
    """The table kind a header row names, or None when it is not a header row. *near* is the heading nearest the
    table, when the reader knows it (else the last of the context's levels, two spaces apart, is taken)."""
    nonempty = [(i, h) for i, h in enumerate(headers) if h.strip()]
    if not nonempty:
        return None
    ctx_words = norm_text(context).split()
    # the heading nearest the table that names a kind says most of what its rows are: "## Components" under the
    # document title "Pump threat model" is a component table (levels are two spaces apart)
    named: set[str] | None = None
    for segment in reversed([x for x in [*context.split("  "), near] if x.strip()]):
        words = norm_text(segment).split()
        found = {k for k, sp in vocab.kinds.items() if any(w.startswith(c) for c in sp.context for w in words)}
        if found:
            named = found
            break
    results: list[Classified] = []
    # "Document Title" is a references-table word: it is no partial hit for a threat's "title".
    non_content = {i for i, h in nonempty if skipped_hits(vocab, h)}
    for kind, spec in vocab.kinds.items():
        if only is not None and kind != only:
            continue
        cands = []
        for i, h in nonempty:
            m = match_header(vocab, kind, h)
            if m is not None and (m.exact or i not in non_content):
                cands.append((m.exact, m.score, -i, i, m))
        cands.sort(reverse=True)
        used: set[str] = set()
        fields: dict[int, HeaderMatch] = {}
        score = 0.0
        for _e, _s, _n, i, m in cands:
            if m.field in used:
                continue
            used.add(m.field)
            fields[i] = m
            score += spec.fields[m.field].weight * (1.0 if m.exact else 0.7)
        if spec.first_column_under and not any(spec.fields[m.field].key for m in fields.values()):
            score += _first_column_by_heading(spec, nonempty, context, fields, near)
        matched = len(fields)
        if kind == "threat" and "stride" not in used:
            matrix = [i for i, h in nonempty if i not in fields and _stride_header(vocab, h)]
            if len(matrix) >= 3:  # one column per STRIDE category
                score += spec.fields["stride"].weight
                matched += len(matrix)
        if not any(spec.fields[m.field].key for m in fields.values()):
            continue
        if kind == "flow" and len(used & {"source", "target"}) == 1 and not used & {"name", "id", "peer"}:
            continue  # "Flag | Source | Notes": one end alone, no flow's name, names no flow (where a finding came from)
        if any(w.startswith(c) for c in spec.context for w in ctx_words):
            # named by an outer heading only (the document's title), the kind weighs less than the one named nearest
            score += 2.5 if named is None or kind in named else 1.0
        if _names_other_kind(vocab, kind, [headers[i] for i, m in fields.items() if spec.fields[m.field].key]):
            score -= 3  # "Asset Name" is the name of an asset, not of a component
        if kind == "threat" and not used & {"title", "description"} and _refers_first(fields, nonempty):
            # "control_id | control_activity | … | mapped_risk_id" in a sheet named "Register": its first column
            # names other items, and no column gives a threat's text: the rows are those other items
            score -= 3
        if kind == "control" and _threat_first(vocab, headers, fields):
            score -= spec.fields["threats"].weight  # "ID | Threat | Mitigation | Evidence": the rows are threats
        results.append(Classified(kind, score, fields, matched))
    if only is None:
        per_header = [skipped_hits(vocab, h) for _i, h in nonempty]
        for name in [n for n in vocab.skipped if any(n in hit for hit in per_header)]:  # in the vocabulary's order, as kinds
            hits = sum(hit.get(name, 0) for hit in per_header)
            if hits >= 2 and hits * 2 >= len(nonempty):
                results.append(Classified(name, hits * 1.5, {}, hits, skipped=True))
    if not results:
        return None
    results.sort(key=lambda c: -c.score)  # stable: the vocabulary's kind order breaks ties
    best = results[0]
    tied = [c for c in results if c.score == best.score and not c.skipped]
    if len(tied) > 1 and ctx_words:
        # "ID | Control | Category" under "Threat model > Security controls": both kinds take the context bonus;
        # the heading nearest the table (the last words of the context) names what its rows are
        best = max(tied, key=lambda c: _last_named(vocab.kinds[c.kind].context, ctx_words))
    if best.skipped:
        return best
    need = min(2, len(nonempty))

    first = next((m for i, m in best.fields.items() if i == nonempty[0][0]), None) if best.fields else None
    # "| Threat | Session-only | Vault | Verdict |" under "Threat model for …": the first column named exactly for the
    # items the nearest heading names, the other columns what is said of each (options weighed): items, unsure
    headed = (
        len(nonempty) >= (3 if best.kind == "threat" else 2)
        and first is not None
        and first.exact
        and vocab.kinds[best.kind].fields[first.field].key
        and first.field in ("title", "name", "text")
        and named is not None
        and best.kind in named
        # "| Asset | Where it exists in plaintext |" under "## Assets": the assets, what is said of each kept with it
        and best.kind in ("threat", "asset")
    )

    def weak(c: Classified) -> bool:
        wide = c.matched >= 5 and c.score >= 10  # a 34-column register: unknown columns go to extra
        if headed and c is best:
            return False
        return c.matched < need or c.score < (2 if only else 3) or (c.matched * 3 < len(nonempty) and not wide)

    if weak(best):
        # "Attack | Mitigation" under "Mitigations for G4": the heading's word made it a control table of one
        # column, too weak to be items; the kind its header names in full is read (and the table named, unsure)
        other = next((c for c in results if c is not best and not c.skipped and not weak(c)), None)
        if other is not None and not any(c.skipped for c in results):
            other.over = best.kind
            return other
        # too weak to be items: a header that names a table of no items ("Term | Definition | Example")
        # still says what it is
        return next((c for c in results if c.skipped), None)
    return best


_REFERENCES = frozenset({"controls", "targets", "assets", "hazards", "views"})


def _refers_first(fields: dict[int, HeaderMatch], nonempty: list[tuple[int, str]]) -> bool:
    """Whether a reading takes a table's first column for references to items of another kind."""
    first = fields.get(nonempty[0][0])
    return first is not None and first.field in _REFERENCES


def _last_named(context_words: Sequence[str], ctx_words: list[str]) -> int:
    """The position of the last word of *ctx_words* that names a kind (by its context words); -1 for none."""
    return max((i for i, w in enumerate(ctx_words) if any(w.startswith(c) for c in context_words)), default=-1)


def _first_column_by_heading(
    spec: KindSpec, nonempty: list[tuple[int, str]], context: str, fields: dict[int, HeaderMatch], near: str = ""
) -> float:
    """Under a heading that names the kind ("Out of Scope"), the first column lists its items whatever
    it is called ("Component | Reason"): read it as the kind's text, a partial match. Only when the
    first column names nothing of the kind itself, so "ID | Assumption" under "Assumptions and
    exclusions" stays an assumption table."""
    i0 = nonempty[0][0]
    # the context whole ("… Out of Scope …") or the heading nearest the table alone ("Abuse Cases")
    texts = [context, near] if near else [context]
    if i0 in fields or not any(rx.search(t) for rx in spec.first_column_under for t in texts):
        return 0.0
    key = next((f for f, fs in spec.fields.items() if fs.key and f != "id"), None)
    if key is None or key in {m.field for m in fields.values()}:
        return 0.0
    fields[i0] = HeaderMatch(key, 0.0, False)
    return spec.fields[key].weight * 0.7  # as any partial match


def _names_other_kind(vocab: Vocabulary, kind: str, headers: list[str]) -> bool:
    """A key column whose header names another kind ("Asset Name", "Threat ID") and not this one."""
    own = vocab.kinds[kind].context
    for h in headers:
        words = norm_text(h).split()
        if any(w.startswith(c) for c in own for w in words):
            continue
        for other, spec in vocab.kinds.items():
            if other != kind and any(w == c or w == c + "s" for c in spec.context if len(c) > 3 for w in words):
                return True
    return False


def _threat_first(vocab: Vocabulary, headers: list[str], fields: dict[int, HeaderMatch]) -> bool:
    """A control table's "threats" column that is a threat's own title ("Threat", "Threat scenario") and stands
    left of the control's title: the table lists threats with their mitigations, not controls with the threats
    they mitigate (those name them "Threat ID", "Threats mitigated", "Addresses")."""
    threats = next((i for i, m in fields.items() if m.field == "threats"), None)
    title = next((i for i, m in fields.items() if m.field == "title"), None)
    if threats is None or title is None or threats > title or "threat" not in vocab.kinds:
        return False
    m = match_header(vocab, "threat", headers[threats])
    return m is not None and m.exact and m.field == "title"


def _is_kv_header(vocab: Vocabulary, headers: list[str]) -> bool:
    vals = [norm_text(h) for h in headers if h.strip()]
    return len(vals) == 2 and vals[0] in vocab.key_value_keys and vals[1] in vocab.key_value_values


_BORROWED = {("control", "threats")}  # a column naming another kind's items says nothing of this kind
_GENERIC_FIELDS = {"id", "title", "name", "text", "description", "notes", "tags", "sensitivity", "status"}
_URL = re.compile(r"^\s*(?:https?://|www\.|ftp://|file:|mailto:)\S*", re.I)


def _link_id_column(g: Grid, columns: list[Column], rows: list[int]) -> str | None:
    """A "Reference" column of URLs is never the id: it would merge unrelated rows that cite one page."""
    col = next((c for c in columns if c.field == "id"), None)
    if col is None:
        return None
    values = [one_line(g.data_text(r, col.index)) for r in rows]
    values = [v for v in values if v]
    if values and sum(1 for v in values if _URL.match(v) or " " in v.strip() and len(v.split()) > 6) * 2 > len(values):
        col.field = None
        return col.header or g.col_name(col.index)
    return None


def _letters_to_index(letters: str, g: Grid) -> int:
    """Column letters of the sheet ("C") → the grid's column index."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - g.first_col


def _text_column(g: Grid, kind: str, columns: list[Column], rows: list[int]) -> str | None:
    """A threat or control table with an id but no title or description column the vocabulary knows
    ("Menace", "What could happen"): the unmapped column of longest texts is its description, rather
    than rows with no words at all."""
    if kind not in ("threat", "control") or any(c.field in ("title", "description") for c in columns):
        return None
    if not any(c.field == "id" for c in columns):
        return None
    best: tuple[float, Column] | None = None
    for col in columns:
        if col.field is not None:
            continue
        texts = [one_line(g.data_text(r, col.index)) for r in rows]
        texts = [t for t in texts if t]
        if len(texts) * 2 < len([r for r in rows if not g.row_blank(r)]) or not texts:
            continue
        words = sum(len(t.split()) for t in texts) / len(texts)
        if words >= 3 and len(set(texts)) * 4 >= len(texts) * 3 and (best is None or words > best[0]):
            best = (words, col)
    if best is None:
        return None
    best[1].field = "description"
    return best[1].header or g.col_name(best[1].index)


def _correct_by_values(g: Grid, kind: str, columns: list[Column], rows: list[int], vocab: Vocabulary) -> list[str]:
    """Where a column's cells contradict its header: a "Threat" column of STRIDE letters ("S", "TRID") is the
    STRIDE column; a "Risk" column of sentences is the description, not a rating; a "Status" column whose
    cells are no statuses ("Structural: enforced by type", file paths) is kept as written, once warned."""
    out: list[str] = []
    fields = {c.field for c in columns}

    def cells(col: Column) -> list[str]:
        return [t for t in (one_line(g.data_text(r, col.index)) for r in rows) if t]

    status = next((c for c in columns if c.field == "status"), None) if kind in ("threat", "control") else None
    if status is not None:
        values = cells(status)
        if kind == "threat":
            read = [v for v in values if parse_status(vocab, v).ok]
        else:
            read = [v for v in values if parse_choice(vocab, "control_status", v).ok]
        if len(values) >= 3 and len(read) * 2 < len(values):
            status.field = None
            unread = len(values) - len(read)
            out.append(f"column {status.header!r} holds no {kind} statuses ({unread} of {len(values)} cells): kept as written")
            for other in columns:
                # "| State | Status |" with "TESTED (fuzz)" then "✅": the other column named so holds the statuses
                hit = match_header(vocab, kind, other.header) if other.field is None and other is not status else None
                if hit is None or hit.field != "status":
                    continue
                said = cells(other)
                ok = [v for v in said if (parse_status(vocab, v) if kind == "threat" else parse_choice(vocab, "control_status", v)).ok]
                if len(said) >= 3 and len(ok) * 2 >= len(said):
                    other.field = "status"
                    out.append(f"column {other.header!r} read as the {kind} status instead")
                    break
    category = next((c for c in columns if c.field == "category"), None) if kind == "control" else None
    if category is not None:
        values = cells(category)
        if len(values) >= 3 and not any(parse_choice(vocab, "control_category", v).ok for v in values):
            # "Type": Technical, Administrative, Physical; ISO 14971's "Inherent Safety by Design", "Protective
            # Measure": a kind of control of another scheme, no FDA category: one note, not a warning on every row
            category.field = None
            out.append(f"column {category.header!r} holds no control categories (e.g. {values[0]!r}): kept as written")
    named = next((c for c in columns if c.field == "title"), None) if kind == "control" and "id" not in fields else None
    if named is not None and any(c.field == "description" for c in columns):
        values = cells(named)
        if len(values) >= 2 and all(_REF_ID.match(v) for v in values):
            # "| Requirement | Control Type | Implementation | Verification |" with "REQ-SEC-001" down "Requirement": the
            # ids of controls, each said more of (how it is implemented and verified), no titles
            named.field = "id"
            out.append(f"column {named.header!r} holds ids only ({values[0]!r}, …): read as the controls' ids")
    if kind != "threat":
        return out
    if "status" not in {c.field for c in columns}:
        # "| Misuse case | Control | Result |" with "Mitigated." / "Open.": the result of each case is its status
        for col in columns:
            if col.field is not None or norm_text(col.header) not in _RESULT_HEADERS:
                continue
            said = cells(col)
            if len(said) >= 2 and all(parse_status(vocab, v.rstrip(".")).ok for v in said):
                col.field = "status"
                out.append(f"column {col.header!r} holds threat statuses: read as the status")
                break

    where = next((c for c in columns if c.field == "targets" and norm_text(c.header) == "where"), None)
    if where is not None and "description" not in fields:
        said = [v for v in cells(where) if not is_empty(vocab, v)]
        if said and sum(len(v.split()) >= 4 for v in said) * 2 > len(said):
            # "Threat | Where | Initial mitigation" of "Linking | Signals linked to identify a child across sources":
            # where in the use of the system the threat arises, said in a phrase: its description, no component
            where.field = "description"
            fields.discard("targets")
            fields.add("description")
            out.append(f"column {where.header!r} says in phrases where each threat arises: read as the description")
    vectors = next((c for c in columns if c.field == "description"), None)
    plain = next((c for c in columns if c.field is None and norm_text(c.header) in _DESCRIPTION_HEADERS), None)
    if vectors is not None and plain is not None and "title" not in fields and norm_text(vectors.header) in _VECTOR_HEADERS:
        # "Threat ID | STRIDE | Description | Threat Agent | Attack Vector": with no title column, the column named
        # "Description" says what the threat is (its title is taken from it); how it is carried out stays as written
        plain.field, vectors.field = "description", None
        out.append(f"column {plain.header!r} read as the description, {vectors.header!r} kept as written")
        vectors = plain
    if vectors is not None and "title" in fields:
        values = cells(vectors)
        if len(values) >= 2 and all(norm_text(v) in _ATTACK_VECTORS for v in values):
            # "Attack Vector" of "local", "network": CVSS's attack vector of the threat, no description of it
            vectors.field = None
            shown = ", ".join(sorted(set(values))[:4])
            out.append(f"column {vectors.header!r} holds attack vectors ({shown}), not descriptions: kept as written")
    paired = _letter_ratings(columns, cells, vocab) if not fields & {"risk.likelihood", "risk.severity"} else None
    if paired is not None:
        lik, sev = paired
        lik.field, sev.field = "risk.likelihood", "risk.severity"
        fields.update(("risk.likelihood", "risk.severity"))
        out.append(f"columns {lik.header!r} and {sev.header!r} read as the likelihood and the severity")
    rpns = [c for c in columns if c.scale == 1000 and norm_text(c.header) in vocab.rpn_headers]
    factors = [c for c in columns if c.field in ("risk.likelihood", "risk.severity")]
    if rpns and len(factors) == 2:
        points = [int(v) for c in factors for v in cells(c) if v.strip().isdigit()]
        if points and max(points) <= 5:
            # "S | O | D | RPN" scored 1–5 each: the priority number is out of 125, not the 1000 of 1–10 factors
            for rpn in rpns:
                rpn.scale = 125
                out.append(f"column {rpn.header!r}: its factors are scored 1–5, so it is read out of 125")
    title = next((c for c in columns if c.field == "title"), None)
    if title is not None and "stride" not in fields:
        values = cells(title)
        by_name = all(vocab.stride_names.exact(v) for v in values)
        if by_name and "description" not in {c.field for c in columns}:
            # with nothing else to say what each threat is, "Spoofing | Supabase Auth; RLS" is the threat of that
            # category, titled so (its category read from the title)
            values = []
        if len(values) >= 2 and all(_stride_cell(vocab, v) for v in values):
            title.field = "stride"
            fields.add("stride")
            out.append(f"column {title.header!r} holds STRIDE categories, not threat titles: read as the STRIDE column")
    for col in columns:
        if col.field not in ("controls", "targets"):
            continue
        spans = cells(col)
        if len(spans) >= 2 and sum(bool(_TIME_SPAN.match(v)) for v in spans) * 4 >= len(spans) * 3:
            # "Remediation Timeframe" of "24-48 hours", "1-2 weeks": when the measure is due, no measure (nor the odd
            # cell a row shifted into it); "Target" of "3 days", "0-30 days": when the finding is due to be fixed, no
            # component the threat targets
            what = "measures" if col.field == "controls" else "components"
            col.field = None
            out.append(f"column {col.header!r} holds time frames ({spans[0]!r}, …), not {what}: kept as written")
        elif col.field == "controls" and len(spans) >= 2 and all(_FRACTION.match(v) for v in spans):
            # "control_effectiveness" of 0.5 on every row: a factor the risk is scaled by, no measure named
            col.field = None
            out.append(f"column {col.header!r} holds fractions ({spans[0]!r}, …), not measures: kept as written")
    told = next((c for c in columns if c.field == "description"), None)
    if title is not None and title.field == "title" and told is not None and (m := match_header(vocab, kind, title.header)) and not m.exact:
        names, said = cells(title), cells(told)
        if len(names) >= 4 and len(set(names)) * 2 <= len(names) and len(set(said)) == len(said) == len(names):
            # "Risk ID | Profile Name | Risk Description" with "Weekend Hobbyist" on four rows: a column only loosely
            # named for titles whose few names group the rows, beside a description for each: no titles
            title.field = None
            out.append(f"column {title.header!r} repeats {len(set(names))} names over {len(names)} rows: it groups them, no titles")
    if title is not None and title.field == "title" and told is not None and any(c.field == "id" for c in columns):
        values, said = cells(title), cells(told)
        if len(values) >= 2 and all(_REF_ID.match(v) for v in values) and said and all(len(v.split()) >= 3 for v in said):
            # "Risk ID | Threat Key | Risk Description" with "T-O-RAN-01" down "Threat Key": the threat each risk row
            # belongs to, named by its id beside the row's own: no title; the description says what the risk is
            title.field = None
            out.append(f"column {title.header!r} holds ids only ({values[0]!r}, …), no titles: kept as written")
    stride = next((c for c in columns if c.field == "stride"), None)
    if stride is not None and not _names_own_field(vocab, stride.header, "stride"):
        values = cells(stride)
        if len(values) >= 2 and not any(parse_stride(vocab, v).value for v in values):
            # "Asset_Type" (Hardware, Server, Data): a type of something else, not a STRIDE category
            stride.field = None
            out.append(f"column {stride.header!r} holds no STRIDE categories: kept as written")
    harm = next((c for c in columns if c.field == "patient_harm"), None)
    if harm is not None:
        values = cells(harm)
        described = [v for v in values if not parse_harm(vocab, v).ok]
        if len(values) >= 3 and len(described) * 2 >= len(values):
            # "Harm" of "ineffective therapy; delayed treatment", "serious unintended therapy": what the harm is,
            # no class of it; a word in one such sentence ("serious") is not the row's harm class
            harm.field = None
            counted = f"{len(described)} of {len(values)} cells name no harm class"
            out.append(f"column {harm.header!r} describes the harm ({counted}): kept as written")
    target = next((c for c in columns if c.field == "targets" and norm_text(c.header) in ("target", "targets")), None)
    kpi = next((c for c in columns if c.field is None and norm_text(c.header) in _KPI_HEADERS), None)
    if target is not None and kpi is not None:
        # "KPI | Target" ("On-time deprovisioning rate" | "100% within two hours"): the value the measure aims at,
        # no component the threat targets
        target.field = None
        out.append(f"column {target.header!r} beside {kpi.header!r} is the measure's target, no component: kept as written")
    assets = next((c for c in columns if c.field == "assets"), None)
    if assets is not None:
        named = next((c for c in columns if c.field is None and norm_text(c.header) in _ASSET_NAME_HEADERS), None)
        values = cells(assets)
        if named is not None and values and all(_ID_VALUE.match(v) for v in values) and cells(named):
            # "Asset_ID | Asset_Name": the names name the assets; the ids stay with the row
            assets.field, named.field = None, "assets"
            out.append(f"column {named.header!r} names the assets of column {assets.header!r} (its ids): read as the assets")
    cvss = next((c for c in columns if c.field == "cvss"), None)
    vector = next((c for c in columns if c.field is None and {"cvss", "vector"} <= set(norm_text(c.header).split())), None)
    if cvss is not None and vector is not None and any(v.upper().startswith(("CVSS:", "AV:")) for v in cells(vector)):
        cvss.field, vector.field = None, "cvss"  # the vector says more than the score it gives
    for col in columns:
        if col.field not in ("risk", "residual_risk"):
            continue
        values = cells(col)
        prose = [v for v in values if len(v.split()) >= 5 and not parse_risk(vocab, v, None, shared=True).ok]
        if values and len(prose) * 2 >= len(values):
            if col.field == "residual_risk":
                # "Residual risk" of "Repository compromise can still alter trusted automation": what is left once
                # the mitigation is in place, not what the threat is; kept as written with the threat
                out.append(f"column {col.header!r} holds sentences, not risk ratings: what remains after the mitigation, kept as written")
                col.field = None
                continue
            new = "description" if "description" not in fields else None
            out.append(f"column {col.header!r} holds sentences, not risk ratings: read as {'the description' if new else 'extra'}")
            col.field = new
            fields.add("description")
    risk = next((c for c in columns if c.field == "risk"), None)
    if risk is not None and "title" in fields:
        values = cells(risk)
        spare = next(
            (
                c
                for c in columns
                if c.field is None and c.header and (m := match_header(vocab, "threat", c.header)) is not None and m.field == "risk"
            ),
            None,
        )
        rated = cells(spare) if spare is not None else []
        if (
            spare is not None
            and len(values) >= 2
            and not any(parse_risk(vocab, v, None, shared=True).ok for v in values)
            and len(rated) >= 2
            and all(parse_risk(vocab, v, None, shared=True).ok for v in rated)
        ):
            # "Bedrohung | Risiko | Priorität" with what would follow down "Risiko" ("Policy-Bypass, Registry-Manipulation")
            # and "🔴 Kritisch" down "Priorität": the rated column is the risk, the other one describes it
            new = "description" if "description" not in fields else None
            risk.field, spare.field = new, "risk"
            fields.add("description")
            out.append(
                f"column {risk.header!r} rates no risk (its cells say what would follow): read as {'the description' if new else 'extra'}; "
                f"{spare.header!r} rates the risks"
            )
            risk = spare
    if risk is not None and "title" not in fields and fields & {"risk.likelihood", "risk.severity"}:
        values = cells(risk)
        rates = [
            parse_risk(vocab, v, None, shared=True).ok and (any(ch.isdigit() for ch in v) or vocab.tables["risk_level"].exact(v))
            for v in values
        ]
        if len(values) >= 2 and all(_LETTER.search(v) for v in values) and not any(rates):
            # ("User-Akzeptanz niedrig" names a risk; a rating is a level or a score: "Hoch", "12", "High (12)")
            # "ID | Risiko | Wahrscheinlichkeit | Impact | Mitigation" with "Zeitverzug bei FastAPI-Migration" down the
            # risk column: beside the likelihood and impact that rate them, its texts name the risks (they rate none)
            risk.field = "title"
            fields.add("title")
            out.append(f"column {risk.header!r} names the risks, no risk levels: read as the threat's title")
    out.extend(_risk_statement_title(columns, cells))
    out.extend(_spare_ratings(columns, cells, vocab))
    return out


_LETTER = re.compile(r"[^\W\d_]")
# a time frame or a date, as a remediation deadline is written: "24-48 hours", "1-2 weeks", "within 30 days", "Q3 2025",
# "2025-09-30", "Immediate"
_TIME_SPAN = re.compile(
    r"^\s*(?:(?:within|in|by|<|≤)\s*)?(?:\d+(?:\s*[-–]\s*\d+)?\s*(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|months?|mos?|years?|yrs?)"
    r"|q[1-4]\s*\d{4}|\d{4}-\d{2}(?:-\d{2})?|\d{1,2}/\d{1,2}/\d{2,4}|immediate(?:ly)?|asap)\s*$",
    re.I,
)
# a fraction or a percentage ("0.5", "0,75", "80%"): a rating of something, never the name of a measure
_FRACTION = re.compile(r"^\s*(?:0?[.,]\d+|\d{1,3}(?:[.,]\d+)?\s*%)\s*$")
_RISK_HEADERS = frozenset({"risk", "risks", "risk description", "risk statement", "risk scenario", "risk event"})


def _risk_statement_title(columns: list[Column], cells: Callable[[Column], list[str]]) -> list[str]:
    """ "Risk | Asset | Threat": the "Risk" column holds the risk statements ("Ransomware attack encrypts client
    data") and the "Threat" column beside it a word or two ("Cybercriminal", "External attacker"), the threat's
    source: the statement titles the row, the source is kept as written."""
    title = next((c for c in columns if c.field == "title"), None)
    stated = next((c for c in columns if c.field == "description" and norm_text(c.header) in _RISK_HEADERS), None)
    if title is None or stated is None:
        return []
    short, long = cells(title), [v for v in cells(stated) if len(v.split()) >= 2]  # not a count pasted below ("23")
    if len(short) < 3 or len(long) < len(short) or len(set(long)) != len(long):
        return []

    def words(values: list[str]) -> float:
        return sum(len(v.split()) for v in values) / len(values)

    if words(short) > 2.5 or words(long) < 4:
        return []
    title.field, stated.field = None, "title"
    return [
        f"column {stated.header!r} holds the risk statements and {title.header!r} a word or two (the threat's source): "
        f"{stated.header!r} titles the rows, {title.header!r} kept as written"
    ]


def _spare_ratings(columns: list[Column], cells: Callable[[Column], list[str]], vocab: Vocabulary) -> list[str]:
    """A rating column the header matching left to no field because another took its field first: when that
    one was no rating after all ("Risk" of sentences), the spare one ("Total Risk Score" of "Medium", "High") is
    the risk; beside a column of bare scores ("Risk_Score" 15, 12), a spare one of level words only
    ("Priority": Critical, High) is the stated level."""
    out: list[str] = []
    fields = {c.field for c in columns}
    for base in ("risk", "residual_risk"):
        for col in columns:
            if col.field is not None or not col.header:
                continue
            m = match_header(vocab, "threat", col.header)
            if m is None or m.field != base:
                continue
            values = cells(col)
            if not values:
                continue
            taken = next((c for c in columns if c.field == base), None)
            if taken is None:
                if all(parse_risk(vocab, v, None, shared=True).ok for v in values):
                    col.field = base
                    fields.add(base)
                    out.append(f"column {col.header!r} holds the risk ratings: read as the risk")
                continue
            level = f"{base}.level"
            scores = cells(taken)
            if (
                level not in fields
                and scores
                and all(_BARE_NUMBER.match(v) for v in scores)
                and all(parse_level(vocab, v).value is not None for v in values)
            ):
                col.field = level
                fields.add(level)
                out.append(f"column {col.header!r} states the level of the scores in {taken.header!r}: kept as stated")
    # "Score | Level" with no word of risk in "Level": beside the risk's bare scores, a column of level words
    # ("CRITICAL", "HIGH"; a cell or so shifted by its author is warned of, row by row) is their stated level
    # "Risk | Level | Treatment" with no rating column at all: a column named only "Level" whose cells are level
    # words ("High", "Moderate") is the risk level the author stated for the row
    taken = next((c for c in columns if c.field == "risk"), None)
    alone = taken is None and not fields & {"risk.likelihood", "risk.severity"}
    scored = taken is not None and all(_BARE_NUMBER.match(v) for v in cells(taken) or ["x"])
    if "risk.level" not in fields and (alone or scored):
        for col in columns:
            if col.field is not None or norm_text(col.header) not in _LEVEL_HEADERS:
                continue
            values = cells(col)
            read = sum(1 for v in values if parse_level(vocab, v).value is not None)
            if len(values) >= 3 and read * 5 >= len(values) * 4:
                col.field = "risk.level"
                beside = f"the level of the scores in {taken.header!r}" if taken is not None else "each row's risk level"
                out.append(f"column {col.header!r} states {beside}: kept as stated")
                break
    return out


_KPI_HEADERS = frozenset(
    {"kpi", "kpis", "key performance indicator", "key risk indicator", "kri", "metric", "metrics", "measure of success", "success metric"}
)


_RESULT_HEADERS = frozenset({"result", "results", "outcome", "resolution", "control result", "control / result"})


_LEVEL_HEADERS = frozenset({"level", "rating", "grade", "rank"})


_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


_ASSET_NAME_HEADERS = frozenset({"asset name", "name of asset", "asset description", "asset title"})


_LETTER_HEADER = re.compile(r"^\s*([A-Za-z])\s*(?:\([^()]*\))?\s*$")  # "L", "S (1-5)", "P (1–4)"


def _letter_ratings(columns: list[Column], cells: Callable[[Column], list[str]], vocab: Vocabulary) -> tuple[Column, Column] | None:
    """The likelihood and severity of a threat table rated in one-letter columns ("L (1-5)" | "S (1-5)"): one
    column a likelihood letter, one a severity letter, both of numbers only; never in a table whose headers are
    STRIDE's letters."""
    letters: dict[str, Column] = {}
    for col in columns:
        m = _LETTER_HEADER.match(col.header)
        if m:
            letters.setdefault(m.group(1).lower(), col)
    if len(set(letters) & set("strider")) >= 4:
        return None  # "S | T | R | I | D | E": a STRIDE checklist
    found: dict[str, list[Column]] = {
        axis: [c for k, c in letters.items() if k in vocab.rating_letters.get(axis, ()) and c.field is None]
        for axis in ("likelihood", "severity")
    }
    if len(found["likelihood"]) != 1 or len(found["severity"]) != 1:
        return None
    lik, sev = found["likelihood"][0], found["severity"][0]
    for col in (lik, sev):
        values = cells(col)
        letter = col.header.strip()[:1].upper()
        # "P3" under "P", "S4" under "S": the column's letter before each point, as ISO 14971 tables write them
        numbers = sum(1 for v in values if _SMALL_NUMBER.match(v[1:] if v[:1].upper() == letter else v))
        if numbers < 2 or len(values) - numbers > max(1, len(values) // 5):  # a template's example row ("<1-5>")
            return None
    return lik, sev


_SMALL_NUMBER = re.compile(r"^(?:10|[0-9])(?:\.0)?$")


def _names_own_field(vocab: Vocabulary, header: str, fname: str) -> bool:
    """The header is an exact synonym of the field (not a partial hit: "Asset Type" for "type")."""
    m = match_header(vocab, "threat", header)
    return m is not None and m.field == fname and bool(getattr(m, "exact", False))


def _more_controls(columns: list[Column], vocab: Vocabulary) -> None:
    """A register with its controls in place beside the ones it recommends ("Existing Controls" |
    "Recommended Controls", "Current controls" | "Planned mitigation"): the second column is controls too
    (``controls.more``), each column's header giving its controls' status, not left in extra."""
    first = next((c for c in columns if c.field == "controls"), None)
    if first is None:
        return
    said = mitigation_status(vocab, first.header)
    for c in columns:
        if c.field is not None or not c.header:
            continue
        m = match_header(vocab, "threat", c.header)
        if m is None or m.field != "controls":
            continue
        other = mitigation_status(vocab, c.header)
        if (other is not None and other != said) or _control_type_pair(first.header, c.header):
            c.field = "controls.more"
            return


# Kinds of control a register may keep in columns of their own ("Existing Preventive Controls" | "Existing
# Detective Controls"): two control columns whose headers differ only by these words
_CONTROL_TYPES = frozenset(
    {
        "preventive",
        "preventative",
        "detective",
        "corrective",
        "compensating",
        "deterrent",
        "recovery",
        "technical",
        "administrative",
        "physical",
        "organisational",
        "organizational",
        "procedural",
    }
)


def _control_type_pair(a: str, b: str) -> bool:
    """Two control headers that name two kinds of control and are otherwise the same."""
    wa, wb = norm_text(a).split(), norm_text(b).split()
    ta, tb = [w for w in wa if w in _CONTROL_TYPES], [w for w in wb if w in _CONTROL_TYPES]
    if not ta or not tb or ta == tb:
        return False
    return [w for w in wa if w not in _CONTROL_TYPES] == [w for w in wb if w not in _CONTROL_TYPES]


def _control_ids_beside_text(g: Grid, columns: list[Column], rows: list[int], vocab: Vocabulary) -> str | None:
    """ "Risk control ID | Risk control summary" in a threat table: one column holds ids only (RC-001), the one its
    header names with another word holds texts, and that header names controls. The texts are the row's control,
    the ids its id (``controls.id``); a column read as the controls before ("Requirement" of ids) is kept as
    written. None when the table is not so."""
    for ids in columns:
        words = norm_text(ids.header).split() if ids.header else []
        if len(words) < 2 or words[-1] not in _ID_WORDS or ids.field not in (None, "controls"):
            continue
        stem = words[:-1]
        values = [t for t in (one_line(g.data_text(r, ids.index)) for r in rows) if t]
        if len(values) < 2 or not all(_ID_VALUE.match(v) for v in values):
            continue
        for c in columns:
            if c is ids or not c.header or c.field not in (None, "controls"):
                continue
            other = norm_text(c.header).split()
            m = match_header(vocab, "threat", c.header)
            if other[: len(stem)] != stem or len(other) <= len(stem) or m is None or m.field != "controls":
                continue
            texts = [t for t in (one_line(g.data_text(r, c.index)) for r in rows) if t]
            if len(texts) >= len(values) and all(len(t.split()) >= 3 for t in texts):
                for before in columns:
                    if before.field in ("controls", "controls.id"):
                        before.field = None
                ids.field, c.field = "controls.id", "controls"
                return f"column {ids.header!r} holds the ids of the controls in {c.header!r}: each row's control keeps its id"
    return None


# CVSS's attack vector values (v3 and v4), as a column of them writes them
_DESCRIPTION_HEADERS = frozenset({"description", "threat description", "threat scenario description", "scenario description"})
_VECTOR_HEADERS = frozenset(
    {"attack vector", "attack vectors", "vector", "threat vector", "attack path", "angriffsvektor", "vecteur d attaque"}
)
_ATTACK_VECTORS = frozenset({"network", "adjacent", "adjacent network", "local", "physical", "av n", "av a", "av l", "av p"})
_ID_WORDS = frozenset({"id", "ids", "ref", "reference", "no", "nr", "number"})


def _dread_total(g: Grid, columns: list[Column], rows: list[int], vocab: Vocabulary) -> str | None:
    """Beside DREAD's five factor columns ("Damage | Reproducibility | … | Discoverability | Total"), the column that
    combines them is the risk score when no other column gives one: its scale is five times the factors' (the sum:
    "Total" 43 of 50) or theirs (the average: 8.6 of 10), as every row's values show; the factors' own scale is the
    smallest of 3, 5 and 10 that holds them (inferred, said). The warning, or None when the table is no such one."""
    if not vocab.dread_factors or any(c.field in ("risk.level", "risk.score") for c in columns):
        return None
    # "… | Total Score | Priority" with "High": the priority words are the stated level of the total, not the score
    stated = next((c for c in columns if c.field == "risk"), None)
    if stated is not None and not _level_words(g, stated, rows, vocab):
        return None
    factors: list[Column] = []
    for names in vocab.dread_factors:
        # "DREAD Exploitability": a group cell's label joined above its factor's header
        col = next((c for c in columns if c.header and _ends_in(norm_text(c.header), names) and c not in factors), None)
        if col is None:
            return None
        factors.append(col)
    total = next((c for c in columns if c.field is None and c.header and norm_text(c.header) in vocab.dread_totals), None)
    if total is None:
        return None
    sums: list[tuple[list[float], float]] = []
    for r in rows:
        try:
            got = [float(g.cells[r][c.index].strip().replace(",", ".")) for c in factors]
            said = float(re.sub(r"[*\s]", "", g.cells[r][total.index]).replace(",", "."))
        except ValueError:
            continue  # a blank, note or totals row: not scored
        sums.append((got, said))
    if len(sums) < 2:
        return None
    top = next(t for t in (3, 5, 10, 10**9) if all(v <= t for got, _ in sums for v in got))
    if top > 10 or any(v < 0 for got, _ in sums for v in got):
        return None
    if all(abs(sum(got) - said) < 0.01 for got, said in sums):
        scale, how = 5 * top, "sum"
    elif all(abs(sum(got) / 5 - said) < 0.051 for got, said in sums):
        scale, how = top, "average"
    else:
        return None  # not the sum or the average of the factors on every row: a weighting the table does not state
    total.field, total.scale, total.scale_inferred = "risk", scale, True
    if stated is not None:
        stated.field = "risk.level"  # kept as stated beside the score (never recomputed from it)
    return (
        f"column {one_line(total.header)!r} is the {how} of DREAD's five factors: read as the risk score out of {scale} "
        f"(factors on 0-{top}, inferred from their values)"
    )


def _level_words(g: Grid, col: Column, rows: list[int], vocab: Vocabulary) -> bool:
    """Whether every non-empty cell of *col* is a level word ("High", "🔴 Critical") and none a number."""
    cells = [g.cells[r][col.index].strip() for r in rows if g.cells[r][col.index].strip()]
    return bool(cells) and all(not any(ch.isdigit() for ch in x) and parse_risk(vocab, x, None).value is not None for x in cells)


def _ends_in(header: str, names: frozenset[str]) -> bool:
    """Whether a normalised *header* is one of *names*, or ends with one after a group label ("dread damage")."""
    return header in names or any(header.endswith(" " + n) for n in names)


def _stated_levels(columns: list[Column]) -> None:
    """A risk level column with no score beside it is the risk itself (read as before); beside a score it
    is the stated level, kept as written."""
    fields = {c.field for c in columns}
    for c in columns:
        if c.field in ("risk.level", "residual_risk.level") and c.field.split(".")[0] not in fields:
            c.field = c.field.split(".")[0]


_ID_VALUE = re.compile(r"^[A-Za-z]{1,6}[-_.]?\d+(?:[.\-]\d+)*[A-Za-z]?$")
# an id of letter groups before its number ("T-O-RAN-01", "T-NEAR-RT-02A", "THR-001"): one word, ending in its number
_REF_ID = re.compile(r"^(?=.{2,24}$)[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*?[-_.]?\d+[A-Za-z]?$")


def _id_column(g: Grid, kind: str, columns: list[Column], rows: list[int], vocab: Vocabulary) -> None:
    """A table with no id column whose "Threat" (or first unnamed) column holds T-01, T-02...: those are ids."""
    if "id" not in vocab.kinds[kind].fields or any(c.field == "id" for c in columns):
        return
    described = any(c.field == "description" for c in columns)
    c0, c1 = columns[0].index, columns[-1].index
    rows = [
        r
        for r in rows
        if not _group_row(g, r, c0, c1) and not other_row(g, r, c0, c1, None, vocab) and not _lone_group_cell(g, r, c0, c1, None, vocab)
    ]
    for col in columns:
        if col.field not in (None, "title", "name", "text") or (col.field is not None and not described):
            continue
        if col.field is None and vocab.first_column_not_items.get(norm_text(col.header)):
            continue  # "Attack Path Number" A.1, A.2: the ids of the attack paths of a row, not of the row's threat
        values = [g.data_text(r, col.index).strip() for r in rows]
        values = [v for v in values if v]
        if len(values) >= 1 and len(set(values)) == len(values) and all(_ID_VALUE.match(v) for v in values):
            if col.field is None and any(all(rx.fullmatch(v) for v in values) for _name, rx in vocab.threat_catalogues):
                continue  # "ATT&CK" of T1548, T1499: the public catalogue's entries the rows cite, not the rows' own ids
            col.field = "id"
            return


# an id of the maker's hazard analysis opening a cell ("HAZ-013", "H-2", "HAZ-001, HAZ-002 (altered processing)")
HAZARD_ID = re.compile(r"\b[A-Z][A-Za-z]{0,5}[-_.]?\d+(?:[.\-]\d+)*[a-z]?\b")


def hazard_ids_column(g: Grid, kind: str, columns: list[Column], rows: list[int], vocab: Vocabulary) -> None:
    """ "| ID | Threat | STRIDE | Hazard | Controls |" of "HAZ-013", "—": beside the column that titles each threat,
    a column named "Hazard" whose cells open with ids names the hazards of the maker's ISO 14971 file each threat
    leads to, not a second title (read as the description, the ids were lost to the traceability)."""
    if kind != "threat" or "hazards" not in vocab.kinds[kind].fields or any(c.field == "hazards" for c in columns):
        return
    if not any(c.field == "title" for c in columns):
        return
    for col in columns:
        if col.field not in (None, "description") or set(norm_text(col.header).split()) != {"hazard"}:
            continue
        said = [t for t in (one_line(g.data_text(r, col.index)) for r in rows) if t and not is_empty(vocab, t)]
        led = [t for t in said if (m := HAZARD_ID.match(t)) is not None and m.start() == 0]
        if led:
            # a cell of words beside the ids ("Depends on the component") is kept as written, no hazard
            col.field = "hazards"
            return


_KIND_NAMES = {"threat": ("threat", "threat title", "threat name", "threats"), "control": ("control", "control name", "control title")}


def _second_title(g: Grid, kind: str, columns: list[Column], rows: list[int], vocab: Vocabulary) -> None:
    """ "Threat | Threat Scenario": two columns both name the title and none the description. The one with
    the shorter texts is the title, the other the description."""
    fields = vocab.kinds[kind].fields
    title = next((c for c in columns if c.field == "title"), None)
    kind_col = next((c for c in columns if c.field is None and norm_text(c.header) in _KIND_NAMES.get(kind, ())), None)
    described = any(c.field == "description" for c in columns)
    if title is not None and kind_col is not None and described and norm_text(title.header) not in _KIND_NAMES.get(kind, ()):
        # "Threat | Threat Agent | Attack Vector | Abuse Case": the column named for what a row is titles it; the
        # other (an abuse case, a scenario) is kept as written beside the description
        kind_col.field, title.field = "title", None
        return
    if "title" not in fields or "description" not in fields or any(c.field == "description" for c in columns):
        return
    if title is None:
        return
    for col in columns:
        m = match_header(vocab, kind, col.header) if col.field is None and col.header else None
        if m is None or not m.exact or m.field != "title":
            continue

        def mean(c: Column) -> float:
            texts = [g.data_text(r, c.index).strip() for r in rows]
            texts = [t for t in texts if t]
            return sum(len(t) for t in texts) / len(texts) if texts else 0.0

        named = [c for c in (title, col) if norm_text(c.header) in _KIND_NAMES.get(kind, ())]
        if len(named) == 1:
            # "Threat | Vulnerability": the column named for what a row is titles it, however short the other
            short, long_ = named[0], col if named[0] is title else title
        else:
            short, long_ = (title, col) if mean(title) <= mean(col) else (col, title)
        short.field, long_.field = "title", "description"
        return


def _countermeasures_by_id(g: Grid, columns: list[Column], rows: list[int], vocab: Vocabulary) -> bool:
    """ "Threat | Countermeasure | Script" whose "Threat" cells are only ids ("T1", "T1, T2, T3") and no column
    describes a threat: the rows are countermeasures of threats named elsewhere by those ids, not threats titled
    "T1". The columns are turned into the control table's: the ids link the threats, the countermeasure is the
    control's title, and what only a threat has is kept as written. True when it did so."""
    if "control" not in vocab.kinds or any(c.field in ("id", "description") for c in columns):
        return False
    title = next((c for c in columns if c.field == "title"), None)
    measure = next((c for c in columns if c.field == "controls"), None)
    if title is None or measure is None:
        return False
    filled = [r for r in rows if not g.row_blank(r, columns[0].index, columns[-1].index)]
    ids = [one_line(g.data_text(r, title.index)) for r in filled]
    if len(filled) < 2 or not all(ids) or not all(one_line(g.data_text(r, measure.index)) for r in filled):
        return False
    if not all(_ID_VALUE.match(p.strip()) for v in ids for p in re.split(r"[,;/&]|\band\b", v) if p.strip()):
        return False
    own = vocab.kinds["control"].fields
    for c in columns:
        if c is title:
            c.field = "threats"
        elif c is measure:
            c.field = "title"
        elif c.field is not None and c.field not in own:
            c.field = None
    return True
