"""What reading a block carries: the enclosing section's context, a block's labelled fields, a threat read from prose."""

from __future__ import annotations

from dataclasses import dataclass, field

from mdptm.importers.markdown.document import MdBlock, MdTable
from mdptm.importers.tabular.tables import RowRecord


@dataclass
class _Ctx:
    skip: str | None = None  # why the enclosing section holds no records
    asset: str | None = None  # the asset name a block of threats is about
    stride: str | None = None
    view: str | None = None
    zone: str | None = None
    headings: tuple[str, ...] = ()
    list_kind: str | None = None  # "assumption" or "out_of_scope" under such a heading
    component: str | None = None  # the component a "Subsystem 1: Infusion pump" heading names
    privacy: str | None = None  # the LINDDUN category a heading names ("Linkability"), as written


@dataclass
class _Fields:
    values: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field -> label as written
    written: dict[str, str] = field(default_factory=dict)  # field -> its first label as written, in a list too
    lead: list[str] = field(default_factory=list)  # text before any label
    tables: list[MdTable] = field(default_factory=list)
    others: list[MdBlock] = field(default_factory=list)
    # (field, label as written, text) of each labelled part: "SMAOS Mitigation (Phase 1)" and "Phase 2 Mitigation"
    # are two parts of one field
    parts: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, fname: str, text: str, links: list[tuple[str, str]] | None = None, label: str = "") -> None:
        if text.strip():
            self.values.setdefault(fname, []).append(text.strip())
            if label:
                self.parts.append((fname, label, text.strip()))
        if links:
            self.links.setdefault(fname, []).extend(links)

    def text(self, fname: str) -> str:
        return "\n\n".join(self.values.get(fname, []))


@dataclass
class _Pending:
    """A threat read from prose: its row record, and its mitigation as written."""

    rec: RowRecord
    mitigation: str = ""
    mitigation_refs: list[str] = field(default_factory=list)
    threat_id: str = ""
    shared_with: _Pending | None = None  # takes the control made for another threat's mitigation
    grouped: bool = False  # its controls are listed beside it under one heading, not paired with it
    control: str = ""
    planned: str = ""  # the label that states the mitigation's status ("Potential mitigations"), if one did
    said_status: str = ""  # that status: "planned" or "implemented" ("Mitigations implemented")
    # "- [SC-01] HSM with tamper-evident packaging": each mitigation line led by a control's id (id, its text)
    id_lines: list[tuple[str, str]] = field(default_factory=list)
    # mitigations written under labels of successive phases: (label as written, text, "planned" for a later phase)
    phased: list[tuple[str, str, str]] = field(default_factory=list)
    # "**Mitigation status:** planned" in the threat's block: (label as written, text), the status of its mitigation
    mitigation_status: tuple[str, str] | None = None
