"""Threagile models (YAML with a ``threagile_version`` key).

A Threagile model holds the architecture (technical assets with their communication links, trust
boundaries, data assets, shared runtimes), the risks its author identified by hand
(``individual_risk_categories.<category>.risks_identified``) and the tracking of risks
(``risk_tracking``: a status per synthetic risk id, ``*`` standing for one ``@``-part). The risks that
Threagile's own rules make exist only when Threagile runs: a tracking entry for one of them is
reported (skipped), never made into a threat. The texts of Threagile's model stub (``Some Technical
Asset``, ``Some Description``, ``Some Individual Risk Example``) mark the template's own example
entries, which are skipped (``template_names``/``template_texts`` in the vocabulary).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdptm.base.safety import not_utf8, parse_yaml, read_input
from mdptm.base.text import slug
from mdptm.errors import InputError
from mdptm.formats.interchange import (
    IdMinter,
    as_dict,
    as_list,
    compact,
    is_no_mitigation,
    json_safe,
    kind_by_rules,
    lookup,
    mitigation_control,
    one_line,
    plain,
    section,
    shell,
    stride_of,
)
from mdptm.model import Asset, Assumption, Element, Flow, Model, Risk, Source, Threat, TrustZone
from mdptm.model.report import ImportReport
from mdptm.model.validate import pointer
from mdptm.plugins import ImportContext, Importer

_KEY = re.compile(rb"""(?m)^(?:\xef\xbb\xbf)?["']?threagile_version["']?\s*:""")  # a BOM or quotes may come first
_LINK_ID = re.compile(r"[^A-Za-z0-9]+")
_SCALE = "Threagile severity (low/medium/elevated/high/critical)"
# keys of a technical asset, a link, a data asset the importer maps itself (the others go to extra as written)
_ASSET_KEYS = {
    "id",
    "description",
    "type",
    "tags",
    "out_of_scope",
    "justification_out_of_scope",
    "communication_links",
    "data_assets_processed",
    "data_assets_stored",
}
_LINK_KEYS = {"target", "description", "protocol", "authentication", "tags", "data_assets_sent", "data_assets_received"}
_DATA_KEYS = {"id", "description", "tags", "confidentiality", "integrity", "availability"}
_RISK_KEYS = {
    "severity",
    "exploitation_likelihood",
    "exploitation_impact",
    "most_relevant_data_asset",
    "most_relevant_technical_asset",
    "most_relevant_communication_link",
    "most_relevant_trust_boundary",
    "most_relevant_shared_runtime",
}
_CATEGORY_TEXTS = (
    "description",
    "impact",
    "action",
    "mitigation",
    "check",
    "detection_logic",
    "risk_assessment",
    "false_positives",
)
_FACTS = {"threagile_version", "title", "date", "business_overview"}


def link_id(source: str, title: str) -> str:
    """Threagile's id of a communication link: ``<source asset id>><title, lower-case, runs of other
    characters as one hyphen>`` (``createDataFlowId``), the form risk ids and ``most_relevant_communication_link`` use."""
    return source + ">" + _LINK_ID.sub("-", title.lower()).strip("- ")


def synthetic_id(category: str, *, data: str = "", asset: str = "", link: str = "", boundary: str = "", runtime: str = "") -> str:
    """Threagile's synthetic risk id (``createSyntheticId``): the category id, then the most relevant
    technical asset, link, trust boundary, shared runtime and data asset that are given, joined by ``@``."""
    return "@".join([category, *(p for p in (asset, link, boundary, runtime, data) if p)])


def tracking_pattern(key: str) -> re.Pattern[str]:
    """A risk_tracking key as a pattern over synthetic ids: ``*`` stands for one ``@``-delimited part
    (Threagile's ``[^@]+``); the whole id must match."""
    return re.compile("[^@]+".join(re.escape(part) for part in key.split("*")))


class ThreagileImporter(Importer):
    """Reads a Threagile model YAML: architecture, hand-identified risks and their tracking."""

    name = "threagile"
    extensions = (".yaml", ".yml")

    def sniff(self, path: Path, head: bytes) -> int:
        if path.suffix.lower() in self.extensions and _KEY.search(head):
            return 95
        return 0

    def load(self, path: Path, ctx: ImportContext) -> Model:
        raw = read_input(path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(not_utf8(raw, exc), file=str(path)) from None
        data = parse_yaml(text, file=str(path), yaml12=True)  # Threagile reads YAML 1.2 (Go yaml.v3): only true/false are booleans
        if not isinstance(data, dict) or "threagile_version" not in data:
            raise InputError("not a Threagile model (no 'threagile_version' key)", file=str(path), locator="/")
        reader = _Reader(path.name, data, ctx.report)
        model = reader.read()
        if reader.templates and not any(items for items in (model.elements, model.flows, model.assets, model.threats, model.assumptions)):
            raise InputError(
                f"Threagile's model stub, not filled in: its {reader.templates} entries are the template's own examples "
                "('Some Technical Asset', 'Some Individual Risk Example', …), none the product's; nothing to import",
                file=str(path),
            )
        return model


@dataclass
class _Risk:
    """A risk identified by hand, as read, before risk_tracking gives its status."""

    threat: Threat
    synthetic: str
    control_state: str | None = None  # what its tracking states of the category's mitigation
    tracked_by: str | None = None


@dataclass
class _Category:
    name: str
    pointer: str
    template: bool = False  # named and worded as the stub's example category
    risks: list[_Risk] = field(default_factory=list)
    control: str | None = None


class _Reader:
    def __init__(self, file: str, data: dict[str, Any], report: ImportReport) -> None:
        self.file = file
        self.data = data
        self.report = report
        self.ids = IdMinter()
        self.names = {compact(n) for n in section("threagile", "template_names") or []}
        self.texts = {compact(t) for t in section("threagile", "template_texts") or []}
        self.element_of: dict[str, str] = {}  # Threagile technical asset id -> element id
        self.asset_of: dict[str, str] = {}  # data asset id -> asset id
        self.zone_of: dict[str, str] = {}  # trust boundary id -> zone id
        self.flow_of: dict[str, str] = {}  # Threagile link id (source>title) -> flow id
        self.runtime_of: dict[str, list[str]] = {}  # shared runtime id -> element ids
        self.template_assets: set[str] = set()
        self.template_data: set[str] = set()
        self.template_zones: set[str] = set()
        self.template_runtimes: set[str] = set()
        self.template_texts_kept: list[str] = []
        self.templates = 0  # entries skipped as the template's own examples
        self.categories: list[_Category] = []
        self.template_risks: set[str] = set()  # synthetic ids of the template's example risks (skipped)

    def src(self, locator: str) -> Source:
        return Source(file=self.file, locator=locator, importer="threagile")

    def warn(self, locator: str | None, message: str) -> None:
        self.report.warn(self.file, locator, message)

    @staticmethod
    def _loc(item: TrustZone) -> str | None:
        return item.source.locator if item.source else None

    # --------------------------------------------------------------------------- template

    def is_text(self, value: object) -> bool:
        """True when *value* is one of the texts Threagile's stub fills in (markup ignored)."""
        return compact(plain(value)) in self.texts

    def is_template(self, name: object, description: object) -> bool:
        """An entry named as the stub names its example and described as the stub describes it (or not at all)."""
        return compact(plain(name)) in self.names and (not plain(description) or self.is_text(description))

    def own_text(self, value: object, where: str, extra: dict[str, Any] | None = None, key: str = "description") -> str:
        """*value* as plain text, or nothing when it is a text of the stub (kept in *extra* ``template_text``
        under *key*, and named in one warning)."""
        text = plain(value)
        if text and self.is_text(text):
            self.template_texts_kept.append(where)
            if extra is not None:
                extra.setdefault("template_text", {})[key] = text
            return ""
        return text

    # ------------------------------------------------------------------------------ reading

    def read(self) -> Model:
        model = self._facts()
        assets = self._dict("technical_assets")
        data = self._dict("data_assets")
        boundaries = self._dict("trust_boundaries")
        runtimes = self._dict("shared_runtimes")
        self._find_templates(assets, data, boundaries, runtimes)
        self._elements(model, assets)
        self._zones(model, boundaries)
        self._runtimes(model, runtimes)
        self._assets(model, data, assets)
        self._flows(model, assets)
        self._risks(model)
        self._tracking(model)
        self._texts(model)
        self._rest()
        self.template_texts_kept = list(dict.fromkeys(self.template_texts_kept))
        if self.template_texts_kept:
            self.warn(
                None,
                f"{len(self.template_texts_kept)} text(s) are still the ones Threagile's model stub fills in ('Some Description', "
                f"'Some Owner', …): not used as descriptions, kept in the item's extra.template_text "
                f"({', '.join(self.template_texts_kept[:10])}{', …' if len(self.template_texts_kept) > 10 else ''})",
            )
        return model

    def _dict(self, key: str) -> dict[str, Any]:
        """A top-level mapping; anything else is reported (a list where Threagile wants a mapping)."""
        value = self.data.get(key)
        if value is None or isinstance(value, dict):
            return {str(k): v for k, v in (value or {}).items()}
        self.report.skipped(self.file, pointer(key), f"{key} is a {type(value).__name__}, not a mapping of entries: not read")
        self.warn(pointer(key), f"{key} is not a mapping of named entries as Threagile writes it: not read")
        return {}

    def _facts(self) -> Model:
        title = one_line(self.data.get("title"))
        if title and compact(title) in self.names:
            self.report.skipped(self.file, "/title", f"title {title!r}: the name Threagile's model stub gives, not the product's")
            title = ""
        overview = as_dict(self.data.get("business_overview"))
        description = self.own_text(overview.get("description"), "/business_overview/description")
        model = shell(title, description, report=self.report, file=self.file, fmt="Threagile model")
        date = self.data.get("date")
        if date not in (None, ""):
            model.document.date = one_line(date)
        images = [i for i in as_list(overview.get("images")) if i not in (None, "", {})]
        if images:
            self.report.skipped(
                self.file, "/business_overview/images", f"{len(images)} image(s) of the business overview: pictures for Threagile's report"
            )
        return model

    def _find_templates(self, assets: dict[str, Any], data: dict[str, Any], boundaries: dict[str, Any], runtimes: dict[str, Any]) -> None:
        """Which entries are the stub's own examples: named and described as the stub has them, and used or
        held by no entry of the author's own (an author who wired "Some Traffic" between their own assets keeps it)."""
        for name, ta in assets.items():
            if isinstance(ta, dict) and self.is_template(name, ta.get("description")):
                self.template_assets.add(str(ta.get("id") or ""))
        used: set[str] = set()
        for ta in assets.values():
            if not isinstance(ta, dict) or str(ta.get("id") or "") in self.template_assets:
                continue
            used.update(str(x) for key in ("data_assets_processed", "data_assets_stored") for x in as_list(ta.get(key)))
            for link in as_dict(ta.get("communication_links")).values():
                if isinstance(link, dict):
                    used.update(str(x) for key in ("data_assets_sent", "data_assets_received") for x in as_list(link.get(key)))
        for name, da in data.items():
            did = str(as_dict(da).get("id") or "")
            if isinstance(da, dict) and self.is_template(name, da.get("description")) and did not in used:
                self.template_data.add(did)
        for name, tb in boundaries.items():
            inside = [str(x) for x in as_list(as_dict(tb).get("technical_assets_inside"))]
            if isinstance(tb, dict) and self.is_template(name, tb.get("description")) and set(inside) <= self.template_assets:
                self.template_zones.add(str(tb.get("id") or ""))
        for name, sr in runtimes.items():
            running = [str(x) for x in as_list(as_dict(sr).get("technical_assets_running"))]
            if isinstance(sr, dict) and self.is_template(name, sr.get("description")) and set(running) <= self.template_assets:
                self.template_runtimes.add(str(sr.get("id") or ""))

    def _template_skip(self, loc: str, what: str, name: str) -> None:
        self.templates += 1
        self.report.skipped(
            self.file, loc, f"{what} {name!r}: the example Threagile's model stub holds (its name and texts), not part of the threat model"
        )

    @staticmethod
    def _extra(entry: dict[str, Any], mapped: set[str]) -> dict[str, Any]:
        """The entry's other keys as written (empty values left out)."""
        return {str(k): json_safe(v) for k, v in entry.items() if k not in mapped and v not in (None, "", [], {})}

    def _own_id(self, entry: dict[str, Any], name: str, loc: str, what: str) -> str:
        tid = one_line(entry.get("id"))
        if not tid:
            tid = slug(name, fallback=what.replace(" ", "-"))
            self.warn(loc, f"{what} {name!r} has no id (Threagile requires one); called it {tid!r}")
        return tid

    # ---------------------------------------------------------------------------- structure

    def _elements(self, model: Model, assets: dict[str, Any]) -> None:
        for name, ta in assets.items():
            loc = pointer("technical_assets", name)
            if not isinstance(ta, dict):
                self.report.skipped(self.file, loc, "not a technical asset (a mapping of its fields)")
                continue
            tid = self._own_id(ta, name, loc, "technical asset")
            if tid in self.template_assets:
                self._template_skip(loc, "technical asset", name)
                continue
            eid = self.ids.claim(tid)
            self.element_of.setdefault(tid, eid)
            ttype = one_line(ta.get("type"))
            kind = lookup(ttype, "threagile", "element_kinds")
            extra = self._extra(ta, _ASSET_KEYS)
            if kind is None:
                extra["type"] = ttype
                self.warn(
                    loc,
                    f"technical asset {name!r} has type {ttype!r}, not one Threagile defines; read as a process, the type kept in extra",
                )
            tags = [str(t) for t in as_list(ta.get("tags")) if t not in (None, "")]
            if ta.get("out_of_scope") is True:
                tags.append("out-of-scope")
                reason = plain(ta.get("justification_out_of_scope"))
                if reason:
                    extra["out_of_scope_reason"] = reason
            for key in ("owner", "justification_cia_rating"):
                if key in extra and self.is_text(extra[key]):
                    extra.setdefault("template_text", {})[key] = extra.pop(key)
            description = self.own_text(ta.get("description"), loc, extra)
            self.report.imported(self.file, loc, eid)
            model.elements.append(
                Element(
                    id=eid,
                    name=one_line(name) or tid,
                    kind=kind or "process",
                    description=description,
                    tags=tags,
                    source=self.src(loc),
                    extra=extra,
                )
            )

    def _zones(self, model: Model, boundaries: dict[str, Any]) -> None:
        nested: dict[str, list[str]] = {}
        inside: dict[str, list[str]] = {}
        for name, tb in boundaries.items():
            loc = pointer("trust_boundaries", name)
            if not isinstance(tb, dict):
                self.report.skipped(self.file, loc, "not a trust boundary (a mapping of its fields)")
                continue
            bid = self._own_id(tb, name, loc, "trust boundary")
            if bid in self.template_zones:
                self._template_skip(loc, "trust boundary", name)
                continue
            zid = self.ids.claim(bid)
            self.zone_of.setdefault(bid, zid)
            btype = one_line(tb.get("type"))
            extra = self._extra(tb, {"id", "description", "tags", "technical_assets_inside", "trust_boundaries_nested"})
            description = self.own_text(tb.get("description"), loc, extra)
            model.trust_zones.append(
                TrustZone(
                    id=zid,
                    name=one_line(name) or bid,
                    description=description,
                    kind=lookup(btype, "threagile", "zone_kinds"),
                    tags=[str(t) for t in as_list(tb.get("tags")) if t not in (None, "")],
                    source=self.src(loc),
                    extra=extra,
                )
            )
            self.report.imported(self.file, loc, zid)
            nested[zid] = [str(x) for x in as_list(tb.get("trust_boundaries_nested")) if x not in (None, "")]
            inside[zid] = [str(x) for x in as_list(tb.get("technical_assets_inside")) if x not in (None, "")]
        zones = {z.id: z for z in model.trust_zones}
        parent: dict[str, str] = {}
        for zid, children in nested.items():
            for child in children:
                if child in self.zone_of and self.zone_of[child] != zid:
                    parent.setdefault(self.zone_of[child], zid)
                    zones[self.zone_of[child]].extra.setdefault("parent_zone", zid)
                else:
                    zones[zid].extra.setdefault("unknown_nested_boundaries", []).append(child)
                    self.warn(self._loc(zones[zid]), f"nests {child!r}, no trust boundary of this file")

        def depth(zid: str) -> int:
            seen, d = {zid}, 0
            while zid in parent and parent[zid] not in seen:
                zid = parent[zid]
                seen.add(zid)
                d += 1
            return d

        elements = {e.id: e for e in model.elements}
        for zid, members in inside.items():
            for tid in members:
                eid = self.element_of.get(tid)
                if eid is None:
                    zones[zid].extra.setdefault("unknown_assets_inside", []).append(tid)
                    if tid not in self.template_assets:
                        self.warn(self._loc(zones[zid]), f"holds {tid!r}, no technical asset of this file")
                    continue
                current = elements[eid].trust_zone
                if current is None or depth(zid) > depth(current):  # the innermost boundary that lists it
                    elements[eid].trust_zone = zid

    def _runtimes(self, model: Model, runtimes: dict[str, Any]) -> None:
        """A shared runtime has no place of its own in the model: its name is recorded on the elements it runs."""
        elements = {e.id: e for e in model.elements}
        for name, sr in runtimes.items():
            loc = pointer("shared_runtimes", name)
            if not isinstance(sr, dict):
                self.report.skipped(self.file, loc, "not a shared runtime (a mapping of its fields)")
                continue
            rid = self._own_id(sr, name, loc, "shared runtime")
            if rid in self.template_runtimes:
                self._template_skip(loc, "shared runtime", name)
                continue
            running = [self.element_of[str(x)] for x in as_list(sr.get("technical_assets_running")) if str(x) in self.element_of]
            self.runtime_of[rid] = running
            for eid in running:
                elements[eid].extra.setdefault("shared_runtimes", []).append(one_line(name))
            where = f"recorded on the elements it runs in extra.shared_runtimes: {', '.join(running)}" if running else "it runs no element"
            said = "" if self.is_text(sr.get("description")) else plain(sr.get("description"))
            where += f"; its description: {said}" if said else ""
            self.report.skipped(self.file, loc, f"shared runtime {one_line(name)!r} (the model has no shared runtimes): {where}")

    def _assets(self, model: Model, data: dict[str, Any], assets: dict[str, Any]) -> None:
        for name, da in data.items():
            loc = pointer("data_assets", name)
            if not isinstance(da, dict):
                self.report.skipped(self.file, loc, "not a data asset (a mapping of its fields)")
                continue
            did = self._own_id(da, name, loc, "data asset")
            if did in self.template_data:
                self._template_skip(loc, "data asset", name)
                continue
            aid = self.ids.claim(did)
            self.asset_of.setdefault(did, aid)
            extra = self._extra(da, _DATA_KEYS)
            ratings: dict[str, Any] = {}
            for key, table in (("confidentiality", "confidentiality"), ("integrity", "criticality"), ("availability", "criticality")):
                word = one_line(da.get(key))
                if not word:
                    continue
                rating = lookup(word, "threagile", table)
                if rating:
                    ratings[key] = rating
                extra[f"threagile_{key}"] = word
                if not rating:
                    self.warn(loc, f"{key} {word!r} of data asset {name!r} is not a Threagile rating; kept in extra, not rated")
            for key in ("owner", "origin", "justification_cia_rating"):
                if key in extra and self.is_text(extra[key]):
                    extra.setdefault("template_text", {})[key] = extra.pop(key)
            description = self.own_text(da.get("description"), loc, extra)
            model.assets.append(
                Asset(
                    id=aid,
                    name=one_line(name) or did,
                    kind=kind_by_rules(one_line(name), "otm", "asset_kinds") or "other",
                    description=description,
                    tags=[str(t) for t in as_list(da.get("tags")) if t not in (None, "")],
                    source=self.src(loc),
                    extra=extra,
                    **ratings,
                )
            )
            self.report.imported(self.file, loc, aid)
        by_id = {a.id: a for a in model.assets}
        elements = {e.id: e for e in model.elements}
        for name, ta in assets.items():
            if not isinstance(ta, dict) or (eid := self.element_of.get(one_line(ta.get("id")))) is None:
                continue
            for ref in as_list(ta.get("data_assets_stored")):
                if ref in (None, ""):
                    continue
                if (stored := self.asset_of.get(str(ref))) is not None:
                    if eid not in by_id[stored].stored_in:
                        by_id[stored].stored_in.append(eid)
                else:
                    elements[eid].extra.setdefault("unknown_data_assets_stored", []).append(str(ref))
                    self._unknown_data(pointer("technical_assets", name), str(ref))
            for ref in as_list(ta.get("data_assets_processed")):
                if ref in (None, ""):
                    continue
                if (processed := self.asset_of.get(str(ref))) is not None:
                    elements[eid].extra.setdefault("assets_processed", []).append(processed)
                else:
                    elements[eid].extra.setdefault("unknown_data_assets_processed", []).append(str(ref))
                    self._unknown_data(pointer("technical_assets", name), str(ref))

    def _unknown_data(self, loc: str, ref: str) -> None:
        if ref not in self.template_data:
            self.warn(loc, f"names data asset {ref!r}, no data asset of this file; kept in extra")

    def _flows(self, model: Model, assets: dict[str, Any]) -> None:
        found: list[tuple[str, str, str, dict[str, Any], str]] = []  # (loc, source element, title, link, threagile link id)
        for name, ta in assets.items():
            if not isinstance(ta, dict):
                continue
            tid = one_line(ta.get("id")) or slug(name, fallback="technical-asset")
            links = ta.get("communication_links")
            if links in (None, "", {}):
                continue
            if not isinstance(links, dict):
                self.report.skipped(
                    self.file, pointer("technical_assets", name, "communication_links"), "not a mapping of named links: not read"
                )
                continue
            for title, link in links.items():
                loc = pointer("technical_assets", name, "communication_links", str(title))
                if not isinstance(link, dict):
                    self.report.skipped(self.file, loc, "not a communication link (a mapping of its fields)")
                    continue
                target = one_line(link.get("target"))
                if tid in self.template_assets:
                    if self.is_template(title, link.get("description")) or target in self.template_assets:
                        self._template_skip(loc, "communication link", str(title))
                    else:
                        self.report.skipped(
                            self.file, loc, f"link {str(title)!r}: its source is the stub's example asset {name!r} (skipped)"
                        )
                    continue
                if target not in self.element_of:
                    why = f"link {str(title)!r} of {name!r} goes to {target!r}, " + (
                        "the stub's example asset (skipped)" if target in self.template_assets else "no technical asset of this file"
                    )
                    self.report.skipped(self.file, loc, why)
                    self.warn(loc, why)
                    continue
                found.append((loc, self.element_of[tid], str(title), link, link_id(tid, str(title))))
        # df-<title>; a title several assets give their links (two "Make Requests to API Server") gets the source's id
        bases = Counter("df-" + (slug(title) or "link") for _l, _s, title, _k, _i in found)
        ids = []
        for _l, src, title, _k, _i in found:
            base = "df-" + (slug(title) or "link")
            ids.append(self.ids.claim(base if bases[base] == 1 else f"{base}-{src}"))
        for (loc, src, title, link, tg_id), fid in zip(found, ids, strict=True):
            self.flow_of[tg_id] = fid
            extra = self._extra(link, _LINK_KEYS)
            extra["threagile_id"] = tg_id
            sent = [str(x) for x in as_list(link.get("data_assets_sent")) if x not in (None, "")]
            received = [str(x) for x in as_list(link.get("data_assets_received")) if x not in (None, "")]
            data: list[str] = []
            for direction, refs in (("sent", sent), ("received", received)):
                mapped = []
                for ref in refs:
                    aid = self.asset_of.get(ref)
                    if aid is None:
                        extra.setdefault(f"unknown_data_assets_{direction}", []).append(ref)
                        self._unknown_data(loc, ref)
                        continue
                    mapped.append(aid)
                    if aid not in data:
                        data.append(aid)
                if mapped:
                    extra[f"data_{direction}"] = mapped
            description = self.own_text(link.get("description"), loc, extra)
            model.flows.append(
                Flow(
                    id=fid,
                    name=one_line(title),
                    source=src,
                    target=self.element_of[one_line(link.get("target"))],
                    initiator=src,  # a Threagile link is written on the asset that calls the other
                    protocol=one_line(link.get("protocol")) or None,
                    authentication=one_line(link.get("authentication")) or None,
                    data=data,
                    description=description,
                    tags=[str(t) for t in as_list(link.get("tags")) if t not in (None, "")],
                    provenance=self.src(loc),
                    extra=extra,
                )
            )
            self.report.imported(self.file, loc, fid)
        zone_of = {e.id: e.trust_zone for e in model.elements}
        for f in model.flows:
            if zone_of.get(f.source) != zone_of.get(f.target):
                f.tags.append("crosses-trust-boundary")

    # ------------------------------------------------------------------------------- risks

    def _template_category(self, name: str, cat: dict[str, Any]) -> bool:
        if compact(plain(name)) not in self.names:
            return False
        return all(not plain(cat.get(key)) or self.is_text(cat.get(key)) for key in _CATEGORY_TEXTS)

    def _template_risk(self, title: str, r: dict[str, Any], template_category: bool) -> bool:
        """The stub's example risk: titled as the stub titles it, or left in the stub's category on the stub's
        example assets only. A risk its author re-titled or pointed at their own assets is theirs."""
        if compact(title) in self.names:
            return True
        refs = [one_line(r.get(k)) for k in ("most_relevant_technical_asset", "most_relevant_communication_link")]
        refs = [x for x in refs if x]
        return template_category and all(x.split(">", 1)[0] in self.template_assets for x in refs)

    def _risks(self, model: Model) -> None:
        categories = self._dict("individual_risk_categories")
        seq = 0
        for cat_name, cat in categories.items():
            cloc = pointer("individual_risk_categories", cat_name)
            if not isinstance(cat, dict):
                self.report.skipped(self.file, cloc, "not a risk category (a mapping of its fields)")
                continue
            cat_id = self._own_id(cat, cat_name, cloc, "risk category")
            risks = cat.get("risks_identified")
            if risks not in (None, "", {}) and not isinstance(risks, dict):
                where = pointer("individual_risk_categories", cat_name, "risks_identified")
                self.report.skipped(
                    self.file, where, f"risks_identified is a {type(risks).__name__}, not a mapping of named risks: not read"
                )
                self.warn(where, "risks_identified is not a mapping of named risks as Threagile writes it: no threat made from it")
            risks = {str(k): v for k, v in risks.items()} if isinstance(risks, dict) else {}
            template = self._template_category(cat_name, cat)
            category = _Category(name=one_line(cat_name), pointer=cloc, template=template)
            for title, r in risks.items():
                rloc = pointer("individual_risk_categories", cat_name, "risks_identified", title)
                if not isinstance(r, dict):
                    self.report.skipped(self.file, rloc, "not a risk (a mapping of its fields)")
                    continue
                shown = one_line(plain(title))
                if self._template_risk(shown, r, template):
                    self.template_risks.add(self._synthetic(cat_id, r))
                    self._template_skip(rloc, "risk", shown)
                    continue
                seq += 1
                threat = self._threat(model, cat_name, cat, r, rloc, shown, self.ids.claim(f"TG-{seq}"))
                category.risks.append(_Risk(threat=threat, synthetic=self._synthetic(cat_id, r)))
                threat.extra["threagile_id"] = category.risks[-1].synthetic
            if template and not category.risks:
                self._template_skip(cloc, "risk category", cat_name)
                continue
            self.categories.append(category)
            self._mitigation(model, category, cat, cat_name)

    @staticmethod
    def _synthetic(cat_id: str, r: dict[str, Any]) -> str:
        return synthetic_id(
            cat_id,
            data=one_line(r.get("most_relevant_data_asset")),
            asset=one_line(r.get("most_relevant_technical_asset")),
            link=one_line(r.get("most_relevant_communication_link")),
            boundary=one_line(r.get("most_relevant_trust_boundary")),
            runtime=one_line(r.get("most_relevant_shared_runtime")),
        )

    def _threat(self, model: Model, cat_name: str, cat: dict[str, Any], r: dict[str, Any], loc: str, title: str, tid: str) -> Threat:
        cloc = pointer("individual_risk_categories", cat_name)
        extra: dict[str, Any] = {"category": one_line(cat_name), "category_id": one_line(cat.get("id"))}
        stride: list[str] = []
        word = one_line(cat.get("stride"))
        if word:
            mapped = stride_of(word)
            if mapped:
                stride.append(mapped)
            else:
                extra["stride"] = word
                self.warn(cloc, f"STRIDE category {word!r} is not one of the six; kept in extra")
        cwe = [f"CWE-{c}" for c in (one_line(x) for x in as_list(cat.get("cwe"))) if c and c not in ("0",)]
        description = self.own_text(cat.get("description"), cloc + "/description", extra)
        impact = self.own_text(cat.get("impact"), cloc + "/impact", extra, "impact")
        if impact:
            description = f"{description}\n\nImpact: {impact}" if description else f"Impact: {impact}"
        for key in ("action", "check", "asvs", "cheat_sheet", "function", "detection_logic", "risk_assessment", "false_positives"):
            text = plain(cat.get(key))
            if text and not self.is_text(text):
                extra[key] = text
        known = {"id", "description", "impact", "mitigation", "stride", "cwe", "risks_identified", *extra}
        known |= {"action", "check", "asvs", "cheat_sheet", "function", "detection_logic", "risk_assessment", "false_positives"}
        for key, value in cat.items():
            if key not in known and value not in (None, "", [], {}):
                extra[f"category_{key}"] = json_safe(value)  # model_failure_possible_reason, …
        targets: list[str] = []
        assets: list[str] = []
        ta = one_line(r.get("most_relevant_technical_asset"))
        link = one_line(r.get("most_relevant_communication_link"))
        tb = one_line(r.get("most_relevant_trust_boundary"))
        sr = one_line(r.get("most_relevant_shared_runtime"))
        da = one_line(r.get("most_relevant_data_asset"))
        for ref, table, what in (
            (ta, self.element_of, "technical asset"),
            (link, self.flow_of, "communication link"),
            (tb, self.zone_of, "trust boundary"),
        ):
            if not ref:
                continue
            if ref in table:
                targets.append(table[ref])
            else:
                extra.setdefault("unknown_targets", []).append(ref)
                self.warn(loc, f"risk {title!r} names {what} {ref!r}, none of this file's")
        if sr:
            extra["shared_runtime"] = sr
            if not targets:
                targets.extend(self.runtime_of.get(sr, []))
        if da:
            if da in self.asset_of:
                assets.append(self.asset_of[da])
            else:
                extra.setdefault("unknown_data_assets", []).append(da)
                self.warn(loc, f"risk {title!r} names data asset {da!r}, none of this file's")
        breach = [str(x) for x in as_list(r.get("data_breach_technical_assets")) if x not in (None, "")]
        if breach:
            extra["data_breach_technical_assets"] = [self.element_of.get(x, x) for x in breach]
        for key, value in r.items():
            if key not in _RISK_KEYS and key != "data_breach_technical_assets" and value not in (None, "", [], {}):
                extra[str(key)] = json_safe(value)
        severity = one_line(r.get("severity"))
        level = lookup(severity, "threagile", "severities") if severity else None
        risk = None
        if severity and not level:
            extra["severity"] = severity
            self.warn(loc, f"severity {severity!r} is not a Threagile severity; kept in extra, risk unassessed")
        likelihood = one_line(r.get("exploitation_likelihood")) or None
        impact_word = one_line(r.get("exploitation_impact")) or None
        if level or likelihood or impact_word:
            risk = Risk(
                likelihood=likelihood,
                severity=impact_word,
                level=level,
                scale=_SCALE,
                likelihood_basis="exploitability" if likelihood else None,
            )
            if level:
                extra["threagile_severity"] = severity
        if not targets:
            self.warn(loc, f"risk {title!r} names no technical asset, link or trust boundary of this file: it targets nothing")
        threat = Threat(
            id=tid,
            title=title or one_line(cat_name),
            description=description,
            stride=stride,
            targets=targets,
            assets=assets,
            risk=risk,
            cwe=cwe,
            status="open",
            status_stated=False,  # until a risk_tracking entry states it
            source=self.src(loc),
            extra=extra,
        )
        model.threats.append(threat)
        self.report.imported(self.file, loc, tid)
        return threat

    def _mitigation(self, model: Model, category: _Category, cat: dict[str, Any], cat_name: str) -> None:
        text = plain(cat.get("mitigation"))
        mloc = category.pointer + "/mitigation"
        if not category.risks:
            why = "it identifies no risk" if not text else "it identifies no risk, so its mitigation mitigates nothing here"
            self.report.skipped(self.file, category.pointer, f"risk category {category.name!r}: {why}")
            self.warn(category.pointer, f"risk category {category.name!r} identifies no risk: no threat made")
            return
        if not text or self.is_text(text) or is_no_mitigation(text):
            reason = "no mitigation" if not text else f"its mitigation {text!r} is no mitigation"
            if category.template:
                reason = "its name and texts are still those of the stub's example category, its mitigation no mitigation"
            self.report.skipped(
                self.file, category.pointer, f"risk category {category.name!r}: {reason}; its texts are carried by its threats"
            )
            return
        cid = self.ids.claim(f"TG-M-{slug(one_line(cat.get('id')) or cat_name, fallback='mitigation')}")
        control = mitigation_control(cid, text, "not_implemented", self.src(mloc))
        control.status_stated = False  # until the tracking of its risks states it
        model.controls.append(control)
        category.control = cid
        for r in category.risks:
            r.threat.controls.append(cid)
        self.report.imported(self.file, category.pointer, cid)

    # ---------------------------------------------------------------------------- tracking

    def _tracking(self, model: Model) -> None:
        tracking = self._dict("risk_tracking")
        risks = [r for c in self.categories for r in c.risks]
        by_id = {r.synthetic: r for r in risks}
        categories = {r.synthetic.split("@", 1)[0] for r in risks} | {s.split("@", 1)[0] for s in self.template_risks}
        rule_made: list[str] = []
        entries = [(str(k), v) for k, v in tracking.items()]
        # A direct entry wins over a wildcard one (Threagile applies wildcards only to risks no direct entry tracks).
        entries.sort(key=lambda kv: "*" in kv[0])
        for key, entry in entries:
            loc = pointer("risk_tracking", key)
            if not isinstance(entry, dict):
                self.report.skipped(self.file, loc, "not a tracking entry (a mapping of status, justification, …)")
                continue
            if entry.get("checked_by") not in (None, ""):
                self.report.skipped(self.file, loc + "/checked_by", "checked_by: a person; people are not part of the model")
            pattern = tracking_pattern(key)
            matched = [r for r in risks if pattern.fullmatch(r.synthetic)] if "*" in key else [by_id[key]] if key in by_id else []
            fresh = [r for r in matched if r.tracked_by is None]
            if not matched:
                self.report.skipped(self.file, loc, self._unmatched(key, categories, rule_made))
                continue
            if not fresh:
                first = matched[0].tracked_by
                self.report.skipped(
                    self.file, loc, f"tracks {', '.join(r.threat.id for r in matched)}, which entry {first!r} tracks already"
                )
                self.warn(loc, f"risk_tracking {key!r}: its risks are tracked by {first!r} already; this entry is not applied")
                continue
            word = one_line(entry.get("status"))
            rule = lookup(word, "threagile", "tracking_statuses") if word else None
            if word and rule is None:
                self.warn(loc, f"risk_tracking status {word!r} is not one Threagile defines; the status is not applied (kept in extra)")
            for r in fresh:
                r.tracked_by = key
                self._apply(r, key, word, entry, rule if isinstance(rule, dict) else None)
            self.report.merged(self.file, loc, fresh[0].threat.id)
        if rule_made:
            self.warn(
                "/risk_tracking",
                f"{len(rule_made)} risk_tracking entr{'y tracks a risk' if len(rule_made) == 1 else 'ies track risks'} "
                f"Threagile's own rules make when it runs ({', '.join(rule_made[:8])}{', …' if len(rule_made) > 8 else ''}): "
                "this file holds no such risk, so no threat is made (Threagile writes those risks to its own report, "
                "risks.xlsx or risks.json, when it runs)",
            )
        unchecked = [r.threat.id for r in risks if r.tracked_by is None]
        if unchecked:
            self.warn(
                None,
                f"{len(unchecked)} risk(s) have no risk_tracking entry (Threagile reads them 'unchecked'): status not stated "
                f"({', '.join(unchecked[:10])}{', …' if len(unchecked) > 10 else ''})",
            )
        self._control_states(model)

    def _unmatched(self, key: str, categories: set[str], rule_made: list[str]) -> str:
        cat = key.split("@", 1)[0]
        template = [s for s in self.template_risks if tracking_pattern(key).fullmatch(s)]
        if template:
            return "tracks the example risk of Threagile's model stub (skipped), no risk of this threat model"
        if "*" not in cat and cat not in categories:
            rule_made.append(key)
            return (
                f"tracks a risk of category {cat!r}, which Threagile's own rules make when it runs: the file holds no such risk, "
                "nothing to attach the status to (no threat made)"
            )
        return f"matches none of the risks identified in this file (category {cat!r})"

    def _apply(self, r: _Risk, key: str, word: str, entry: dict[str, Any], rule: dict[str, Any] | None) -> None:
        threat = r.threat
        tracked: dict[str, Any] = {"id": key}
        if word:
            tracked["status"] = word
        for name in ("ticket", "date"):
            if entry.get(name) not in (None, ""):
                tracked[name] = one_line(entry.get(name))
        threat.extra["tracking"] = tracked
        justification = plain(entry.get("justification"))
        if justification:
            threat.rationale = justification
        if rule is None:
            return
        threat.status = rule["status"]
        threat.status_stated = bool(rule.get("stated", True))
        r.control_state = rule.get("control")

    def _control_states(self, model: Model) -> None:
        """A category's mitigation is implemented when the tracking of every risk it mitigates says so (mitigated),
        planned when one says in-progress and none says less; otherwise its status is not stated."""
        controls = {c.id: c for c in model.controls}
        order = {"planned": 0, "implemented": 1}
        for category in self.categories:
            if category.control is None:
                continue
            states = [r.control_state for r in category.risks]
            if all(s in order for s in states):
                control = controls[category.control]
                control.status = "planned" if "planned" in states else "implemented"
                control.status_stated = True

    # ------------------------------------------------------------------------------ the rest

    def _texts(self, model: Model) -> None:
        """Questions, abuse cases and security requirements: an answered question is an assumption; the others
        are not threats and have no place in the model (skipped with their text)."""
        seq = 0
        for question, answer in self._dict("questions").items():
            loc = pointer("questions", question)
            said = plain(answer)
            if self.is_template(question, answer):
                self._template_skip(loc, "question", question)
            elif not said:
                self.report.skipped(self.file, loc, f"question {one_line(question)!r} is unanswered: an open question, no statement")
            else:
                seq += 1
                aid = self.ids.claim(f"TG-Q-{seq}")
                model.assumptions.append(
                    Assumption(
                        id=aid,
                        text=f"{one_line(question)} {said}",
                        tags=["threagile-question"],
                        source=self.src(loc),
                        extra={"question": one_line(question), "answer": said},
                    )
                )
                self.report.imported(self.file, loc, aid)
        for key, what, why in (
            ("abuse_cases", "abuse case", "an attacker's goal written for Threagile's report, not a threat (no target, no rating)"),
            ("security_requirements", "security requirement", "a requirement on the system, not a control (nothing states it is met)"),
        ):
            for name, text in self._dict(key).items():
                loc = pointer(key, name)
                if self.is_template(name, text):
                    self._template_skip(loc, what, name)
                    continue
                said = one_line(plain(text))
                self.report.skipped(
                    self.file,
                    loc,
                    f"{what} {one_line(name)!r}: {why}; not in the model. Its text: {said[:300]}{'…' if len(said) > 300 else ''}",
                )

    def _rest(self) -> None:
        """The top-level keys not read above, each a skipped record saying why."""
        read = _FACTS | {
            "technical_assets",
            "data_assets",
            "trust_boundaries",
            "shared_runtimes",
            "individual_risk_categories",
            "risk_tracking",
            "questions",
            "abuse_cases",
            "security_requirements",
        }
        for key, value in self.data.items():
            key = str(key)
            if key in read or value in (None, "", [], {}):
                continue
            loc = pointer(key)
            if key == "author":
                self.report.skipped(self.file, loc, "author: a person; people are not part of the model")
            elif key in ("management_summary_comment", "technical_overview"):
                kind = "a text" if not self.is_text(as_dict(value).get("description", value)) else "the stub's example text"
                self.report.skipped(
                    self.file, loc, f"{key}: {kind} for Threagile's report; the product description comes from business_overview"
                )
            elif key == "business_criticality":
                self.report.skipped(
                    self.file, loc, f"business_criticality {one_line(value)!r}: Threagile's rating of the business, no place in the model"
                )
            elif key == "tags_available":
                self.report.skipped(self.file, loc, "tags_available: the file's list of tags; each item keeps its own tags")
            elif key.startswith("diagram_tweak"):
                self.report.skipped(self.file, loc, f"{key}: diagram layout only")
            else:
                self.report.skipped(self.file, loc, f"{key}: a key mdptm does not read")
                self.warn(loc, f"top-level key {key!r} is not one mdptm reads from a Threagile model; not imported")
