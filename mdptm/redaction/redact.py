"""Redaction (SPEC §6): turn the internal threat model into the public one, and log every change.

The policy drops items by sensitivity, scrubs terms, patterns and what the default detectors find
(e-mail addresses, IP addresses, internal host names and URLs, ticket ids) from every published text
field -- names, captions, protocols and ports included -- and puts a placeholder where a control a
published threat relies on is withheld, so the reader still sees that a mitigation exists. Every
change goes to the (internal) :class:`RedactionLog`, whose removed strings are the needles of the
leak scan that runs over the written package (:mod:`mdptm.redaction.leakscan`).

Item ids are structural and are never rewritten by the detectors; an id that itself contains a policy
term, pattern or internal address is renamed everywhere, consistently, and the rename logged.

This module rewrites the model; the policy (:mod:`~mdptm.redaction.policy`), the detectors
(:mod:`~mdptm.redaction.scrubber`), the published text fields (:mod:`~mdptm.redaction.textfields`), the log
(:mod:`~mdptm.redaction.log`) and the public corpus with the output detector (:mod:`~mdptm.redaction.corpus`)
live beside it, and it re-exports what callers name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from mdptm.base import textnorm
from mdptm.base.copies import deep_copy
from mdptm.base.text import slug
from mdptm.errors import InputError
from mdptm.mapping.framework import Assertion, Override
from mdptm.model import COLLECTIONS, Control, Flow, Item, Model, RiskManagement
from mdptm.model.results import Review
from mdptm.model.validate import pointer, validate_model
from mdptm.redaction.corpus import (
    MIN_ITEM_NEEDLE,
    _exempt_published,
    _vocabulary,
    _words,
    exempt_of,
    output_detector,
    public_compound,
    public_corpus,
    shipped_text,
)
from mdptm.redaction.leakscan import LiteralMatcher, needle_key, property_values, trie_pattern
from mdptm.redaction.log import Action, LogEntry, RedactionLog
from mdptm.redaction.policy import (
    DEFAULT_DROP,
    DETECTORS,
    IDENTIFIER_FIELDS,
    NAME_FIELDS,
    NEVER_PUBLISHED,
    DetectorData,
    Detectors,
    DetectorTerms,
    Policy,
    detector_data,
    load_policy,
)
from mdptm.redaction.scrubber import LeadingLiteral, Scrubber, Span, _exempt, version_before
from mdptm.redaction.textfields import _REFS, TextFn, _text_fields, _walk, all_items, iter_text, walk_text

# -------------------------------------------------------------------------------- public view


def public_view(model: Model, *, signoff_names: bool = False, signoff_comments: bool = False) -> Model:
    """A copy with nothing that is never published: provenance, notes, extra; sign-off people by role.

    Every published model passes through here, redacted or not.
    """
    return _strip(deep_copy(model), signoff_names=signoff_names, signoff_comments=signoff_comments)


def _strip(out: Model, *, signoff_names: bool, signoff_comments: bool) -> Model:
    out.risk_management = RiskManagement()  # the submission's own facts (anomalies, metrics) are never published
    for el in out.elements:  # FDA Appendix 2 design detail (debug interfaces, keys) goes to the regulator only
        el.dormant_interfaces, el.key_lifecycle, el.sessions, el.default_settings = [], None, None, None
    for view in out.views:  # where a diagram was found is provenance: the source document, a home folder
        if view.diagram is not None:
            view.diagram.path = _file_name(view.diagram.path)
    for item in all_items(out):
        item.notes = None
        item.extra = {}
        if isinstance(item, Flow):
            item.provenance = None
        else:
            item.source = None
    for s in out.document.signoffs:
        if not signoff_names:
            s.name = s.role
        if not signoff_comments:
            s.comment = None
    return out


def _file_name(path: str) -> str:
    """The picture's own name: ``image1.png`` of ``C:\\Users\\dana\\Kestrel TM.docx#word/media/image1.png``."""
    return re.split(r"[#/\\]", path.strip())[-1] or "diagram"


# ------------------------------------------------------------------------------------ redaction

_NOUNS = {  # in the order a reader meets them
    "trust_zone": ("trust zone", "trust zones"),
    "element": ("component", "components"),
    "flow": ("data flow", "data flows"),
    "asset": ("asset", "assets"),
    "threat": ("threat", "threats"),
    "control": ("control", "controls"),
    "view": ("view", "views"),
}


def _what(kinds: Counter[str]) -> str:
    parts = [f"{kinds[k]} {one if kinds[k] == 1 else many}" for k, (one, many) in _NOUNS.items() if kinds[k]]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _label(item: Item) -> str:
    for attr in ("name", "title", "text"):
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    return ""


# what a summarised control keeps of a verification that did not pass
WITHHELD_RESULT = "details withheld"


class _Redactor:
    def __init__(self, model: Model, policy: Policy, log: RedactionLog) -> None:
        self.policy = policy
        self.log = log
        self.kind_of = {item.id: kind for kind, item in model.items()}
        self.left_out: list[Item] = []  # dropped items, and the originals of withheld controls

    # --- rewrite and summarise ---------------------------------------------------------------

    def rewrite(self, model: Model) -> None:
        index = model.index()
        for iid, fields in self.policy.rewrite.items():
            item = index.get(iid)
            if item is None:
                raise InputError(f"the policy rewrites {iid!r}, but the model has no item with that id", locator=pointer("rewrite", iid))
            shapes = dict(_text_fields(type(item)))
            for name, value in fields.items():
                shape = shapes.get(name)
                if shape not in ("str", "strs"):
                    raise InputError(f"{name!r} is not a text field of {iid!r}", locator=pointer("rewrite", iid, name))
                new: object = (
                    ([value] if isinstance(value, str) else value)
                    if shape == "strs"
                    else (value if isinstance(value, str) else "\n".join(value))
                )
                old = getattr(item, name)
                setattr(item, name, new)
                self.log.add(iid, name, "rewritten", "rewrite", _flat(old), _flat(new), secret=True)

    def summarise(self, item: Item, rule: str) -> None:
        cleared: dict[str, object] = {"rationale": None, "steps": [], "verification": [], "disposal": None, "diagram": None}
        if item.description:
            self.log.add(item.id, "description", "summarised", rule, item.description, self.policy.summary, secret=True)
        item.description = self.policy.summary
        for name, empty in cleared.items():
            old = getattr(item, name, None)
            if old:
                self.log.add(item.id, name, "summarised", rule, _flat(old), secret=True)
                setattr(item, name, empty)
        failed = getattr(item, "verification_failed", None)
        if failed:  # the test and its result are details; that it did not pass stays said (never shown as implemented)
            self.log.add(item.id, "verification_failed", "summarised", rule, failed, WITHHELD_RESULT, secret=True)
            item.verification_failed = WITHHELD_RESULT  # type: ignore[attr-defined]

    # --- dropping ----------------------------------------------------------------------------

    def dropped_ids(self, model: Model) -> dict[str, str]:
        drop: dict[str, str] = {}
        wanted = set(self.policy.drop_items)
        tags = {t.casefold().strip() for t in self.policy.drop_tags}
        titles = [re.compile(p, self.policy.pattern_flags()) for p in self.policy.drop_titles]
        for item in all_items(model):
            label = getattr(item, "title", None) or getattr(item, "name", None)
            tagged = next((t for t in item.tags if t.casefold().strip() in tags), None)
            titled = next((rx.pattern for rx in titles if isinstance(label, str) and rx.search(label)), None)
            if item.sensitivity in self.policy.drop:
                drop[item.id] = f"sensitivity:{item.sensitivity}"
            elif item.id in wanted:
                drop[item.id] = "drop_items"
            elif tagged is not None:
                drop[item.id] = f"tag:{tagged}"
            elif titled is not None:
                drop[item.id] = f"title:{titled}"
        for flow in model.flows:
            if flow.id not in drop:
                for end in (flow.source, flow.target):
                    if end in drop:
                        drop[flow.id] = f"cascade:endpoint {end} dropped"
                        break
        # a threat against nothing but left-out components is about them: its title and description describe
        # what the policy withholds ("SvelteFrontend process memory tampered" once the SvelteFrontend is dropped)
        for threat in model.threats:
            if threat.id not in drop and threat.targets and all(t in drop for t in threat.targets):
                drop[threat.id] = f"cascade:targets {', '.join(threat.targets)} left out"
        # a control that only left-out threats relied on is what was done about them: its text tells
        # the reader what the withheld threat was ("Disable the JTAG header on the main board")
        users: dict[str, list[str]] = {}
        for threat in model.threats:
            for cid in threat.controls:
                users.setdefault(cid, []).append(threat.id)
        for control in model.controls:
            relied = users.get(control.id)
            if control.id not in drop and relied and all(t in drop for t in relied):
                drop[control.id] = f"cascade:only threats {', '.join(relied)} left out"
        return drop

    def drop(self, model: Model) -> None:
        drop = self.dropped_ids(model)
        if not drop:
            return
        controls = {c.id: c for c in model.controls}
        kept_threats = [t for t in model.threats if t.id not in drop]
        needed = {cid for t in kept_threats for cid in t.controls if cid in drop and cid in controls}
        stubs = {cid: self._stub(controls[cid], drop[cid]) for cid in sorted(needed)}
        self.left_out = [item for item in all_items(model) if item.id in drop]
        for item in all_items(model):
            if item.id in drop and item.id not in stubs:
                self.log.add(item.id, "*", "dropped", drop[item.id], _label(item) or None, secret=True)
                self.withheld_text(item, "dropped", drop[item.id])
        self.log.dropped = sorted(set(drop) - set(stubs))
        self.log.withheld = sorted(stubs)
        gone = set(drop) - set(stubs)

        def keep(ids: list[str]) -> tuple[list[str], Counter[str]]:
            kept, lost = [], Counter[str]()
            for i in ids:
                if i in gone:
                    lost[self.kind_of.get(i, "element")] += 1
                else:
                    kept.append(i)
            return kept, lost

        for attr, _kind in COLLECTIONS:
            items = [i for i in getattr(model, attr) if i.id not in gone or i.id in stubs]
            if attr == "controls":
                items = [stubs.get(c.id, c) for c in items]
            setattr(model, attr, items)
        for el in model.elements:
            if el.trust_zone in gone:
                el.trust_zone = None
                self.note(el, Counter({"trust_zone": 1}))
        for flow in model.flows:
            flow.data, lost = keep(flow.data)
            self.note(flow, lost)
        for asset in model.assets:
            asset.stored_in, lost = keep(asset.stored_in)
            self.note(asset, lost)
        for view in model.views:
            lost = Counter[str]()
            for name in ("elements", "flows", "threats", "controls"):
                kept, lost_here = keep(getattr(view, name))
                setattr(view, name, kept)
                lost += lost_here
            self.note(view, lost)
        for threat in model.threats:
            threat.targets, lost = keep(threat.targets)
            threat.assets, lost_assets = keep(threat.assets)
            threat.controls, _ = keep(threat.controls)  # withheld controls stay, as placeholders
            threat.controls_grouped, _ = keep(threat.controls_grouped)
            threat.controls_disputed, _ = keep(threat.controls_disputed)
            self.note(threat, lost + lost_assets)
        for dep in model.dependencies:
            dep.elements, lost = keep(dep.elements)
            self.note(dep, lost)
        for flow in model.flows:
            if flow.initiator in gone:
                flow.initiator = None

    def left_out_titles(self, public: Model) -> list[str]:
        """Titles and names of left-out items, as terms: a kept item that quotes one ("mitigates T-9, Replay
        of pump orders", "reached through the Zephyrine service port") would otherwise publish what was
        withheld. A label the public model still holds as a title or name (a kept item of the same name), a
        model vocabulary label ("Tampering"), public names and labels put together ("Patient Records (PHI)":
        :func:`public_compound`), one of fewer than three words ("Default passwords", a phrase
        kept text uses for itself; a component's name of two words, "Zephyrine port", or one made of joined
        parts, "AspireJavaScript.MinimalApi", is a name, not a phrase, and counts, and so does one plain word written
        as a name, "Zephyrine", unless kept text also writes it in lower case, "from the browser") or words mdptm itself prints
        in packages ("End of support", "Coordinated vulnerability disclosure": :func:`shipped_text`) is no secret."""
        kept = {needle_key(label) for _, item in public.items() if (label := _label(item))}
        labels = {needle_key(v) for v in _vocabulary()}
        whole = kept | labels
        out: list[str] = []
        common: set[str] | None = None  # the plain words kept text writes in lower case, looked up once
        named: set[str] = set()  # and the words it writes as names, inside a sentence ("the Zephyrine backdoor")
        for item in self.left_out:
            if isinstance(getattr(item, "text", None), str):  # an assumption's text is a sentence, not a name
                continue
            title = _label(item)
            k = needle_key(title)
            element = self.kind_of.get(item.id) == "element"
            if ((element and _proper_word(title)) or (k.count(" ") <= 1 and unusual_names(title))) and common is None:
                texts = [text for _, _, text in iter_text(public)]
                common = {w for text in texts for w in _LOWER_WORD.findall(text)}
                named = {w.casefold() for text in texts for w in _NAMED_WORD.findall(text)}
            if (
                len(k) >= MIN_ITEM_NEEDLE
                and (
                    k.count(" ") >= 2
                    or (element and _component_name(title, k))
                    or (element and _proper_word(title) and title.strip().casefold() not in (common or set()))
                    or (k.count(" ") <= 1 and _names_a_thing(title, common or set(), named))
                )
                and k not in whole
                and k not in shipped_text()
                and not public_compound(title, whole)
            ):
                out.append(title)
        return out

    def left_out_sentences(self, public: Model, titles: list[str]) -> list[str]:
        """Each sentence of :data:`QUOTED_WORDS` words or more of a left-out threat's, control's or component's
        description that kept text either does not hold, or holds in an item that also names a left-out item (its
        id, or a title among *titles*: "Mitigates the Glasswing backdoor ... risk. The port was left open by the
        vendor for field debugging."): a quotation, as a term. It is then replaced wherever kept text, an
        override's justification, an assertion or a template copies it, and the leak scan looks for it.

        A sentence kept items hold without naming anything left out is shared text, not a quotation: generated
        and house-style models repeat their sentences ("Regularly audit access logs to detect and respond to
        unauthorized access attempts." in a withheld threat and two kept controls), and replacing it would cut
        published controls apart. Such a sentence stays, and the review check ``withheld-text-kept`` names it,
        with the place, for the maker to judge; so does a sentence a kept item's title or name is, or that
        :data:`BOILERPLATE` kept items or more say, or that mdptm itself prints."""
        wanted: dict[str, str] = {}
        for item in self.left_out:
            if self.kind_of.get(item.id) in _QUOTED_KINDS:
                for sentence, key in quotable_sentences(getattr(item, "description", None) or ""):
                    if key not in shipped_text():
                        wanted.setdefault(key, sentence)
        if not wanted:
            return []
        rx = re.compile(r"(?<!\w)(?:" + trie_pattern(wanted) + r")(?!\w)")  # one pass, however many sentences
        holders: dict[str, set[str]] = {}
        texts: dict[str, list[str]] = {}
        for item_id, _path, text in iter_text(public):
            texts.setdefault(item_id, []).append(text)
            for m in rx.finditer(needle_key(text)):
                holders.setdefault(needle_key(m.group()), set()).add(item_id)
        labels = {needle_key(label) for _, item in public.items() if (label := _label(item))}
        kept = {item.id for _, item in public.items()}
        ids = _left_out_ids([i.id for i in self.left_out if i.id not in kept], kept)
        named = LiteralMatcher(titles) if titles else None

        def names_left_out(item_id: str) -> bool:
            return any((ids is not None and ids.spans(t)) or (named is not None and named.found(t)) for t in texts.get(item_id, ()))

        out: list[str] = []
        for key, sentence in wanted.items():
            held = holders.get(key, set())
            if not held or (key not in labels and len(held) < BOILERPLATE and any(names_left_out(i) for i in held)):
                out.append(sentence)
        return out

    def scrub_left_out_ids(self, public: Model) -> None:
        """Ids of left-out items mentioned in published text ("see also T-9") are replaced: the id of a
        withheld threat tells the reader that it exists. Placeholders of withheld controls keep theirs.
        Only ids that are no plain word and no plain number are looked for (:func:`_left_out_ids`)."""
        kept = {item.id for _, item in public.items()}
        rx = _left_out_ids([i.id for i in self.left_out if i.id not in kept], kept)
        follow = _renamed_rx(self.log.renamed)
        if rx is None:
            return
        replacement = self.policy.replacement

        def fn(text: str, item: str, path: str) -> str:
            text = follow(text)  # "see TM7-131-M1": the control's public id
            text, removed = rx.replace(text, replacement)
            for written in removed:
                self.log.add(item, path, "replaced", "left-out-id", written, replacement)
            return text

        walk_text(public, fn)

    def withheld_text(self, item: Item, action: Action, rule: str) -> None:
        """Every text field of an item the public model leaves out becomes a leak-scan needle."""
        for _, path, text in _item_text(item):
            if path not in ("title", "name"):
                self.log.add(item.id, path, action, rule, text, secret=True)

    def _stub(self, control: Control, rule: str) -> Control:
        self.log.add(control.id, "*", "withheld", rule, control.title, self.policy.withheld_title, secret=True)
        self.withheld_text(control, "withheld", rule)
        return Control(
            id=control.id,
            title=self.policy.withheld_title,
            description=self.policy.withheld_mitigation,
            category=control.category,
            responsibility=control.responsibility,
            status=control.status,
            tags=["withheld"],
        )

    def note(self, item: Item, lost: Counter[str]) -> None:
        if not lost:
            return
        text = self.policy.context_note.format(what=_what(lost))
        item.description = f"{item.description}\n\n{text}" if item.description else text
        self.log.add(item.id, "description", "noted", "context", None, text)

    # --- ids and text ------------------------------------------------------------------------

    def rename_ids(self, model: Model, scrubber: Scrubber) -> None:
        """Ids that hold a term, a pattern match or an internal address, or the id of a left-out item (a
        kept control ``TM7-131-M1`` of the dropped threat ``TM7-131``), are re-issued as
        ``redacted-<kind>-<n>`` (numbered in model order) everywhere they are referenced."""
        taken = {item.id for _, item in model.items()}
        renames: dict[str, str] = {}
        counters: Counter[str] = Counter()
        gone = _left_out_ids(self.log.dropped, taken)
        for kind, item in model.items():
            spans = scrubber.spans(item.id, ids_expected=True)
            if gone is not None and gone.spans(item.id):
                spans = [*spans, (0, len(item.id), "left-out-id")]
            if not spans:
                spans = _id_from_redacted_name(item, scrubber)
            if not spans:
                continue
            new = ""
            while not new or new in taken:
                counters[kind] += 1
                new = f"redacted-{kind.replace('_', '-')}-{counters[kind]}"
            taken.add(new)
            renames[item.id] = new
            rules = "+".join(dict.fromkeys(r for _, _, r in spans))
            # an old id holding a left-out one is looked for as an id (RedactionLog.id_needles), not anywhere
            self.log.add(new, "id", "renamed", rules, item.id, new, secret=rules != "left-out-id")
        if not renames:
            return
        _apply_renames(model, renames)
        self.log.renamed = {**self.log.renamed, **renames}  # a second pass (left-out titles) adds to the first

    def scrub_text(self, model: Model, scrubber: Scrubber) -> None:
        def fn(text: str, item: str, path: str) -> str:
            field = path.rsplit(".", 1)[-1].split("[", 1)[0]
            new, removed = scrubber.scrub(text, ids_expected=field in IDENTIFIER_FIELDS or path in NAME_FIELDS)
            for rule, gone in removed:
                self.log.add(item, path, "replaced", rule, gone, scrubber.replacement, secret=True)
            return new

        walk_text(model, fn)

    def stripped_secrets(self, model: Model, scrubber: Scrubber) -> None:
        """Secrets in the never-published fields become needles, in case an exporter leaks them."""
        for item in all_items(model):
            src = item.provenance if isinstance(item, Flow) else item.source
            values: list[tuple[str, object]] = [("notes", item.notes), ("extra", item.extra)]
            if src is not None:
                values.append(("source", src.model_dump()))
            for field, value in values:
                for path, text in _strings(value, field):
                    for _s, _e, rule in scrubber.spans(text):
                        self.log.add(item.id, path, "stripped", rule, text[_s:_e], secret=True)


QUOTED_WORDS = 8  # a sentence this long, repeated word for word, is quoted, not said again by chance
BOILERPLATE = 3  # ... unless this many published items say it too: the model's stock wording
_QUOTED_KINDS = frozenset({"threat", "control", "element"})
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def quotable_sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, its needle key) of each sentence of *text* of :data:`QUOTED_WORDS` words or more, its closing
    mark left out: what kept text cannot copy from a left-out item without quoting it."""
    out: list[tuple[str, str]] = []
    for sentence in _SENTENCE.split(text):
        said = sentence.strip().rstrip(".!?;:").strip()
        key = needle_key(said)
        if key.count(" ") + 1 >= QUOTED_WORDS:
            out.append((said, key))
    return out


# one word made of joined parts: "AspireJavaScript.MinimalApi", "SvelteKit-Aspire", "PumpCtl2"
_JOINED_NAME = re.compile(r"[a-z][A-Z]|[A-Za-z][._-][A-Za-z]|[A-Za-z]\d|\d[A-Za-z]")


# one plain word written as a name: "Zephyrine", "Kestrel" (a capital, then lower case letters)
_PROPER_WORD = re.compile(r"[A-Z][a-z]+")
# a word written in lower case in kept text ("requests from the browser")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")
# a word written as a name inside a sentence, after a word in lower case or a comma ("from the Zephyrine backdoor")
_NAMED_WORD = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?![\w-])")


def written_as_names(texts: Iterable[str]) -> set[str]:
    """The words *texts* write as a name inside a sentence ("from the Zephyrine backdoor") and never in lower case,
    folded: a capital that only opens a sentence ("Unpatched library") or a word also written plainly is no name."""
    texts = list(texts)
    common = {w for text in texts for w in _LOWER_WORD.findall(text)}
    return {w.casefold() for text in texts for w in _NAMED_WORD.findall(text)} - common


def _proper_word(name: str) -> bool:
    """Whether a left-out component's name is one plain word written as a name ("Zephyrine", "Browser").
    It is looked for in kept text unless kept text also writes it in lower case: "requests from the
    browser" uses the common word, which says nothing of the left-out component (the review check
    ``left-out-name-in-text`` reports it); "the Zephyrine port", always written as a name, is the component."""
    return bool(_PROPER_WORD.fullmatch(name.strip()))


@cache
def _shipped_words() -> frozenset[str]:
    """The words mdptm itself prints in packages (:func:`shipped_text`), to tell a name from a common word."""
    return frozenset(re.findall(r"[a-z]+", shipped_text()))


def unusual_names(title: str) -> list[str]:
    """The words of *title* written as a name that mdptm's own text does not use, folded ("zephyrine")."""
    return [
        low for word in re.findall(r"[^\W\d_]+", title) if _PROPER_WORD.fullmatch(word) and (low := word.casefold()) not in _shipped_words()
    ]


def _names_a_thing(title: str, common: set[str], named: set[str]) -> bool:
    """Whether a left-out label of one or two words holds a word that kept text writes as a name inside a sentence
    and never in lower case, and that mdptm's own text does not use: "Zephyrine backdoor" names the withheld
    thing, and a kept threat's "distinct from the Zephyrine backdoor" publishes it; "Default passwords" is a
    phrase kept text uses for itself, and "Eavesdropping is prevented" opens a sentence."""
    return any(low in named and low not in common for low in unusual_names(title))


def _component_name(name: str, key: str) -> bool:
    """Whether a left-out component's name is distinctive enough to look for in kept text: two words or
    more ("Zephyrine port", "Key store"), or one made of joined parts ("AspireJavaScript.MinimalApi"). One
    plain word ("Browser", "Database") is kept text's own word too."""
    return key.count(" ") >= 1 or bool(_JOINED_NAME.search(name.strip()))


def _id_from_redacted_name(item: Item, scrubber: Scrubber) -> list[Span]:
    """The id's spans when it was made from the item's name and shows what redaction removes from that name: the
    importers' slug drops the letters that fold to no ASCII, so "Pump Nıghtjar server" (dotless i) got the id
    ``pump-nghtjar-server``, which is not the term but shows it. A fragment of three characters or more counts."""
    name = getattr(item, "name", None) or getattr(item, "title", None)
    if not isinstance(name, str) or not name:
        return []
    low = item.id.lower()
    return [(0, len(item.id), rule) for start, end, rule in scrubber.spans(name) if len(frag := slug(name[start:end])) >= 3 and frag in low]


class _IdFinder:
    """The ids of left-out items in text (:func:`_ids_rx`), also where their characters are disguised: when
    the text as written holds none, it is read cleaned (:func:`mdptm.base.textnorm.clean`: NFKC, letters of
    other scripts drawn like Latin ones, every dash a hyphen), so "T-０８" with fullwidth digits, "Т-08" with a
    Cyrillic Т and "T−08" with a minus sign are the withheld threat T-08, as the leak scan reads them."""

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, the id as written) of each mention, in order, none overlapping."""
        if text.isascii():
            return [(m.start(), m.end(), m.group()) for m in self.rx.finditer(text)]
        found: list[tuple[int, int, str]] = []
        if not self.rx.search(textnorm.clean(text)):  # the cleaned text holds every mention the text does
            return found
        normal, starts, ends = textnorm.key_map(text, fold=False)
        for m in self.rx.finditer(normal):
            start, end = textnorm.span_back(starts, ends, m.start(), m.end(), text)
            found.append((start, end, text[start:end]))
        return found

    def replace(self, text: str, replacement: str) -> tuple[str, list[str]]:
        """*text* with each mention replaced, and the mentions as written."""
        spans = self.spans(text)
        for start, end, _ in reversed(spans):
            text = text[:start] + replacement + text[end:]
        return text, [written for _, _, written in spans]


def _left_out_ids(ids: Iterable[str], others: Iterable[str] = ()) -> _IdFinder | None:
    """A pattern for the ids of left-out items in text or in another id (any case; a dash, an underscore, a
    space, a full stop or a slash for each of them), standing alone or split off a longer id by a separator
    (``TM7-131`` in ``TM7-131-M1``), never inside a longer number or word (``TM7-1310``); its numbers with or
    without their leading zeros (``T-99`` and ``T.099`` are the withheld ``T-099``; ``T-9`` is no ``T-90``),
    unless another item of the model (*others*: ids of kept items) is numbered so (a kept ``T-99`` beside a
    withheld ``T-099``); ids that could be plain words
    (no digit, dash or underscore) or plain numbers (no letter: a section ``1.2`` of a Word document,
    which "TLS 1.2" and every clause number hold) are not looked for. The leak scan finds an id the same way
    (:class:`~mdptm.redaction.leakscan.IdNeedle`, :meth:`~mdptm.redaction.log.RedactionLog.id_needles`)."""
    wanted = sorted({i for i in ids if len(i) >= 2 and re.search(r"[\d_-]", i) and re.search(r"[^\W\d_]", i)}, key=lambda i: (-len(i), i))
    taken = {id_number(o) for o in others if o not in wanted}
    rx = _ids_rx(wanted, zeros={i for i in wanted if id_number(i) not in taken})
    return None if rx is None else _IdFinder(rx)


# what separates the parts of an id as written: a dash, an underscore, a space, a full stop, a slash, and what the
# normalisation reads as a break (a colon, a dot that splits a word: "T·099"), so that redaction replaces every
# form the leak scan finds
_ID_SEP = r"[-_\s\u2010-\u2015./:\u00b7\u0387\u2022\u2027\u2219\u22c5\u30fb\uff65]"
_ID_SEPS = "-_ ./:"


def _ids_rx(ids: Sequence[str], zeros: Iterable[str] = ()) -> re.Pattern[str] | None:
    """*ids* in text, any case, a separator (a dash, an underscore, a space, a full stop, a slash) for each
    separator, not inside a longer word or number; a separator between a letter and a digit may be left out
    or put in, as a sentence or a file name writes an id (``T9`` for ``T-9``, ``TM7131`` is no ``TM7-131``);
    the numbers of the ids in *zeros* with any leading zeros (``T-99`` for ``T-099``)."""
    if not ids:
        return None
    free = set(zeros)

    def alt(i: str) -> str:
        out: list[str] = []
        k = 0
        while k < len(i):
            c = i[k]
            if c in _ID_SEPS:
                between = 0 < k < len(i) - 1 and i[k - 1].isalpha() and i[k + 1].isdigit()
                out.append(_ID_SEP + "?" if between else _ID_SEP)
                k += 1
            elif c.isdigit():
                j = k
                while j < len(i) and i[j].isdigit():
                    j += 1
                run = i[k:j]
                out.append("0*" + (run.lstrip("0") or "0") if i in free and c.isascii() else re.escape(run))
                k = j
            else:
                out.append(re.escape(c))
                if c.isalpha() and k + 1 < len(i) and i[k + 1].isdigit():  # "T099" written "T-099"
                    out.append(_ID_SEP + "?")
                k += 1
        return "".join(out)

    alts = [alt(i) for i in sorted(ids, key=lambda i: (-len(i), i))]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])", re.IGNORECASE)


def _bare_id(text: str) -> str:
    """An id as :func:`_ids_rx` finds it, without its separators (``T9`` and ``t-9`` are ``t9``)."""
    return re.sub(r"[\W_]+", "", needle_key(text))


def id_number(text: str) -> str:
    """An id without its separators and the leading zeros of its numbers: ``T-099``, ``T.99`` and ``t099`` are
    ``t99``, which :func:`_left_out_ids` finds alike."""
    return re.sub(r"(?<!\d)0+(?=\d)", "", _bare_id(text))


def _renamed_rx(renamed: dict[str, str]) -> Callable[[str], str]:
    """``follow(text)``: *text* with each mention of a renamed item's old id written as its new id (the
    cross-reference stays, to the public id)."""
    rx = _ids_rx(list(renamed))
    if rx is None:
        return lambda text: text
    by_key = {_bare_id(old): new for old, new in renamed.items()}

    def follow(text: str) -> str:
        return rx.sub(lambda m: by_key.get(_bare_id(m.group()), m.group()), text) if rx.search(text) else text

    return follow


def _item_text(item: Item) -> list[tuple[str, str, str]]:
    """(item id, field path, text) of the published text fields of one item."""
    found: list[tuple[str, str, str]] = []

    def collect(text: str, iid: str, path: str) -> str:
        found.append((iid, path, text))
        return text

    _walk(item, item.id, "", collect)
    return found


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(str(k), f"{path}.{k}(key)")
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def _flat(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, BaseModel):
        return str(value.model_dump(mode="json"))
    return str(value)


def redact_overrides(
    overrides: Sequence[Override], model: Model, policy: Policy, log: RedactionLog, where: str = "mdptm.yaml"
) -> list[Override]:
    """Mapping overrides as the package may show them: their justifications are model text like any
    other (a ticket id, a wiki URL, an internal address in one must not reach the coverage tables).

    Uses the terms redaction used (``log.terms``: policy, sign-off and document-property terms);
    what is removed is logged and becomes a needle."""
    clean = _cleaner(Scrubber(policy.model_copy(update={"terms": list(log.terms)}), exempt_of(model, log)), log, where, model)
    out: list[Override] = []
    for i, ov in enumerate(overrides):
        new = clean(ov.justification, f"overrides[{i}].justification")
        out.append(ov.model_copy(update={"justification": new}) if new != ov.justification else ov)
    log.finish()
    return out


def _cleaner(scrubber: Scrubber, log: RedactionLog, where: str, model: Model) -> Callable[..., str]:
    """``clean(text, place, ids=False)``: *text* scrubbed like model text and a left-out item's id in it
    ("accepted with T-9") replaced, each removal logged at *place* (a needle from then on)."""
    left_out = _left_out_ids(log.dropped, [item.id for _, item in model.items()])
    follow = _renamed_rx(log.renamed)

    def clean(text: str, place: str, *, ids: bool = False) -> str:
        new, removed = scrubber.scrub(follow(text), ids_expected=ids)
        for rule, gone in removed:
            log.add(where, place, "replaced", rule, gone, scrubber.replacement, secret=True)
        if left_out is not None:
            new, mentions = left_out.replace(new, scrubber.replacement)
            for written in mentions:
                log.add(where, place, "replaced", "left-out-id", written, scrubber.replacement)
        return new

    return clean


def redact_assertions(
    assertions: Sequence[Assertion], model: Model, policy: Policy, log: RedactionLog, where: str = "mdptm.yaml"
) -> list[Assertion]:
    """The maker's assertions as the package shows them (SPEC §4: a confirmed clause is published with who,
    when, why and the evidence): rationale, ``by`` and evidence references are scrubbed like model text,
    an evidence id of a left-out item is left out (a renamed one takes its public name), and what is
    removed is logged and becomes a needle. An assertion whose evidence was all left out keeps the
    replacement text as its evidence: the clause stays confirmed, and nothing names what was withheld."""
    cited = [e for a in assertions for e in a.evidence]  # a document an assertion cites is named on purpose
    scrubber = Scrubber(policy.model_copy(update={"terms": list(log.terms)}), [*exempt_of(model, log), *cited])
    clean = _cleaner(scrubber, log, where, model)
    gone_ids = {needle_key(i) for i in log.dropped}

    out: list[Assertion] = []
    for i, a in enumerate(assertions):
        evidence: list[str] = []
        for j, ref in enumerate(a.evidence):
            if needle_key(ref) in gone_ids:
                log.add(where, f"assertions[{i}].evidence[{j}]", "replaced", "left-out-id", ref, None)
                continue
            evidence.append(clean(log.renamed.get(ref, ref), f"assertions[{i}].evidence[{j}]", ids=True))
        update = {
            "rationale": clean(a.rationale, f"assertions[{i}].rationale"),
            "by": clean(a.by, f"assertions[{i}].by"),
            "evidence": list(dict.fromkeys(evidence)) or [scrubber.replacement],
        }
        out.append(a.model_copy(update=update) if any(getattr(a, k) != v for k, v in update.items()) else a)
    log.finish()
    return out


def text_scrubber(model: Model, policy: Policy, log: RedactionLog, where: str, *, ids: bool = False) -> Callable[[str, str], str]:
    """``scrub(text, place)`` for published text that is not in the model (a template's header): the
    build's terms, patterns and detectors; removals are logged as needles. With *ids*, a left-out item's id
    is replaced too, and a renamed one takes its public id, as in override justifications (a template's
    "see T/099" in a header; the previous version's text keeps the ids it published)."""
    scrubber = Scrubber(policy.model_copy(update={"terms": list(log.terms)}), exempt_of(model, log))
    if ids:
        clean = _cleaner(scrubber, log, where, model)
        return lambda text, place: clean(text, place)

    def scrub(text: str, place: str) -> str:
        new, removed = scrubber.scrub(text)
        for rule, gone in removed:
            log.add(where, place, "replaced", rule, gone, scrubber.replacement, secret=True)
        return new

    return scrub


def _apply_renames(model: Model, renames: dict[str, str]) -> None:
    """Every item of *model* whose id *renames* holds takes its new id, and so does every reference to it."""
    for item in all_items(model):
        item.id = renames.get(item.id, item.id)
        for name in _REFS.get(type(item), ()):
            value = getattr(item, name)
            if isinstance(value, list):
                setattr(item, name, [renames.get(v, v) for v in value])
            elif isinstance(value, str):
                setattr(item, name, renames.get(value, value))


def public_previous(previous: Model, model: Model, public: Model, policy: Policy, log: RedactionLog, where: str) -> None:
    """The previous version read through this version's policy, in place, before the change log quotes it.

    What it published that this policy withholds (a name added to the terms since) is not quoted again: its text
    is scrubbed, and an id holding a term, a pattern match or an internal address (``E-NIGHTJAR``, published
    before ``Nightjar`` became a term) takes the public id this version gave the same item (``redacted-element-1``,
    so the change log sees it unchanged), or a neutral one of its own when this version no longer has it."""
    scrub = text_scrubber(model, policy, log, where)
    scrubber = Scrubber(policy.model_copy(update={"terms": list(log.terms)}), exempt_of(model, log))
    taken = {item.id for _, item in public.items()} | {item.id for _, item in previous.items()}
    renames: dict[str, str] = {}
    counters: Counter[str] = Counter()
    for kind, item in previous.items():
        if not scrubber.spans(item.id, ids_expected=True):
            continue
        new = log.renamed.get(item.id, "")  # the id this version gave the same item
        while not new or (new in taken and item.id not in log.renamed):  # one it no longer has: a neutral id
            counters[kind] += 1
            new = f"redacted-previous-{kind.replace('_', '-')}-{counters[kind]}"
        taken.add(new)
        renames[item.id] = new
    if renames:
        _apply_renames(previous, renames)
    follow = _renamed_rx(renames)
    walk_text(previous, lambda text, item, path: scrub(follow(text), f"{item} {path}"))


def public_review(review: Review, log: RedactionLog, replacement: str) -> Review:
    """Review findings as a published document may show them.

    Checks describe the internal model, so a finding can quote a title or an id that redaction
    removed ("threat T-9 (Replay on pump.hospital.local) is open"). Every string the leak scan
    looks for is replaced here, and renamed ids take their public names.
    """
    matcher = LiteralMatcher(log.needles())
    if not matcher and not log.renamed:
        return review

    def clean(text: str) -> str:
        out, pos = [], 0
        for start, end, _needle in matcher.spans(text):
            out.append(text[pos:start])
            out.append(replacement)
            pos = end
        return "".join(out) + text[pos:] if out else text

    findings = [
        f.model_copy(update={"message": clean(f.message), "items": [clean(log.renamed.get(i, i)) for i in f.items]})
        for f in review.findings
    ]
    return Review(findings=findings)


def signoff_terms(model: Model, policy: Policy) -> list[str]:
    """People named in sign-offs, when the policy does not publish them: redacted everywhere."""
    if policy.publish_signoff_names:
        return []
    out: dict[str, None] = {}
    for s in model.document.signoffs:
        for name in (s.name, *bare_names(s.name)):
            if len(name.strip()) >= 3 and needle_key(name) != needle_key(s.role):
                out.setdefault(name.strip())
    return list(out)


_HONORIFIC = re.compile(r"^(?:(?:dr|prof|mr|mrs|ms|mx|sir|dame|ing|dipl|mag|med|rer|nat|phil|habil)\.?\s+)+", re.I)
_SUFFIX = re.compile(r"\s*(?:\([^)]*\)|\[[^\]]*\]|,.*|\s[-\u2013\u2014|/]\s.*|\s+(?:jr|sr|phd|md|msc|mba|ii|iii)\.?)$", re.I)


def bare_names(name: str) -> list[str]:
    """The person alone in a sign-off name: "Dr. Jane Roe", "Max Mustermann (Head of Ops)" and
    "Priya Raman, Director" name "Jane Roe", "Max Mustermann" and "Priya Raman"."""
    out: list[str] = []
    current = name.strip()
    for _ in range(4):
        shorter = _HONORIFIC.sub("", _SUFFIX.sub("", current)).strip()
        if shorter == current or len(shorter) < 3:
            break
        out.append(shorter)
        current = shorter
    return out


def property_terms(paths: Iterable[Path], *, keep: Iterable[str] = ()) -> list[str]:
    """People and organisations named in the input documents' properties, as terms.

    Author, last modified by, manager, company and comments never reach the package; making them
    terms also scrubs them from the model's text and makes the leak scan look for them. Values that
    name a tool or default account, and the values in *keep* (the manufacturer), are left out.
    """
    generic = detector_data().generic_property_values
    keep_keys = [needle_key(k) for k in keep if k]
    out: dict[str, None] = {}
    for path in paths:
        props = property_values(path)
        named = [
            (key, props.get(key, "").strip())
            for key in ("core:creator", "core:lastModifiedBy", "app:Manager", "app:Company", "core:description")
        ]
        named += [(key, line.strip()) for key, value in tool_people(path).items() for line in value.splitlines()]  # one a line
        for key, value in named:
            # the person alone as well: "Marguerite Okonkwo, QA lead"; in a comment, the people it names
            # after "by", "with", "owner:" … ("Reviewed by Tobias Wren, ext. 4471")
            people = [m.group(1) for m in _NAMED_IN_COMMENT.finditer(value)] if key == "core:description" else bare_names(value)
            for v in (value, *people):
                k = needle_key(v)
                if len(k) < 3 or k in generic or any(k in kk or kk in k for kk in keep_keys):
                    continue
                out.setdefault(v)
    return list(out)


def tool_people(path: Path) -> dict[str, str]:
    """The owner, reviewer, contributors or author a diagram tool's file names (``tool:<role>``), by format: a
    Threat Dragon model (``summary.owner``, ``detail.reviewer``, ``detail.contributors[].name``), an OTM file's
    ``project.owner``, a ``.tm7`` file's
    ``MetaInformation``, a Threagile model's ``author.name``; contributors one a line. ``{}`` for anything else."""
    from mdptm.base.safety import current_limits, local_name, parse_json, parse_xml, parse_yaml, read_input

    suffix = path.suffix.lower()
    if suffix not in (".json", ".tm7", ".yaml", ".yml"):
        return {}
    people: dict[str, object] = {}
    try:
        raw = read_input(path, limit=current_limits().max_xml_bytes)
        if suffix == ".tm7":
            meta = next((el for el in parse_xml(raw, file=str(path)).iter() if local_name(el.tag) == "MetaInformation"), None)
            found = {local_name(el.tag).lower(): "".join(el.itertext()) for el in (meta if meta is not None else [])}
            people = {role: found.get(role) for role in ("owner", "reviewer")}
            people["contributors"] = "\n".join(_PERSON.findall(found.get("contributors", "")))
        # a tool's file, by what it holds: a native model (a large one too) is not parsed a second time here
        elif (suffix == ".json" and (b'"diagrams"' in raw or b'"otmVersion"' in raw)) or b"threagile_version" in raw:
            text = raw.decode("utf-8", errors="replace")
            data = parse_json(text, file=str(path)) if suffix == ".json" else parse_yaml(text, file=str(path))
            if not isinstance(data, dict):
                return {}
            summary, detail, author, project = (_dict(data.get(k)) for k in ("summary", "detail", "author", "project"))
            listed = detail.get("contributors")
            names = [c.get("name") for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
            people = {
                "owner": summary.get("owner") or project.get("owner"),
                "reviewer": detail.get("reviewer"),
                "contributors": "\n".join(n for n in names if isinstance(n, str)),
                "author": author.get("name"),
            }
    except (InputError, ValueError, RecursionError):  # the importer names what is wrong with the file
        return {}
    return {f"tool:{role}": value for role, value in people.items() if isinstance(value, str) and value.strip()}


def _dict(value: object) -> dict[str, object]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


# a person's name: two or three capitalised words ("Tobias Wren", "Marguerite Okonkwo", "Anne-Marie O'Neil")
_PERSON = re.compile(r"[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’-]+){1,2}")


def surnames(names: Iterable[str], model: Model) -> list[str]:
    """The family names of the people among *names* (sign-offs, document properties), as terms of their own:
    "Okonkwo signed off the design" names the person whose full name is withheld. Only a name kept text
    never writes in lower case and mdptm never prints is one: "Young", "Long" or "White" is also a word
    ("a long session"), which the name's term would tear out of every sentence."""
    out: dict[str, None] = {}
    lower: set[str] | None = None
    for name in names:
        if not _PERSON.fullmatch(name.strip()):
            continue
        last = name.split()[-1]
        if len(last) < 4 or not _PROPER_WORD.fullmatch(last) or needle_key(last) in shipped_text():
            continue
        if lower is None:
            lower = {w for _, _, text in iter_text(model) for w in _LOWER_WORD.findall(text)}
        if last.casefold() not in lower:
            out.setdefault(last)
    return list(out)


# A person named in a document's comments after a word that introduces one: "Reviewed by Tobias Wren",
# "Owner: Dana Whitlock", "with Dr. Jane Roe". Two or three capitalised words make the name.
_NAMED_IN_COMMENT = re.compile(
    r"(?i:\b(?:by|from|with|owner|author|reviewer|contact|cc|attn)\b\s*:?\s+)"
    r"(?i:(?:dr|prof|mr|mrs|ms)\.?\s+)?([A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’-]+){1,2})"
)


def redact(model: Model, policy: Policy, *, extra_terms: Iterable[str] = ()) -> tuple[Model, RedactionLog]:
    """The public model and the log of every change. *model* itself is not modified.

    *extra_terms* adds terms the policy file does not list (document-property authors, say).
    """
    people = [*signoff_terms(model, policy), *extra_terms]
    policy = policy.with_terms([*people, *surnames(people, model)])
    log = RedactionLog(terms=list(policy.terms))
    work = deep_copy(model)
    red = _Redactor(work, policy, log)
    exempt = _exempt(model)
    log._exempt = (model, exempt)
    scrubber = Scrubber(policy, exempt)
    red.rewrite(work)
    red.stripped_secrets(work, scrubber)
    for item in all_items(work):
        if item.sensitivity in policy.summarise and item.sensitivity not in policy.drop:
            red.summarise(item, f"sensitivity:{item.sensitivity}")
    red.drop(work)
    before = [(s.name, s.comment) for s in work.document.signoffs]
    public = _strip(work, signoff_names=policy.publish_signoff_names, signoff_comments=policy.publish_signoff_comments)
    for i, (s, (name, comment)) in enumerate(zip(public.document.signoffs, before, strict=True)):
        if s.name != name:
            log.add("document", f"signoffs[{i}].name", "replaced", "signoff-name", name, s.name, secret=True)
        if comment and s.comment != comment:
            log.add("document", f"signoffs[{i}].comment", "dropped", "signoff-comment", comment)
    red.rename_ids(public, scrubber)
    titles = red.left_out_titles(public)
    sentences = red.left_out_sentences(public, titles)
    if titles or sentences:  # the titles and long sentences of what was left out are removed from kept text like terms
        policy = policy.with_terms([*titles, *sentences])
        log.terms = list(policy.terms)
        scrubber = Scrubber(policy, _exempt(model))
        # an id holding a left-out name ("class-customerdatabase" beside the dropped "Customer Database") is
        # re-issued like one holding a term: the name would otherwise stay in the id
        red.rename_ids(public, scrubber)
    red.scrub_text(public, scrubber)
    red.scrub_left_out_ids(public)
    _exempt_published(log, public, policy)
    problems = validate_model(public)
    if problems:  # redaction must never publish a broken model
        raise InputError(f"redaction produced an inconsistent model: {problems[0]}")
    return public, log.finish()


# what callers import from here, wherever it now lives
__all__ = [
    "Action",
    "DEFAULT_DROP",
    "DETECTORS",
    "DetectorData",
    "DetectorTerms",
    "Detectors",
    "IDENTIFIER_FIELDS",
    "LeadingLiteral",
    "LogEntry",
    "MIN_ITEM_NEEDLE",
    "NAME_FIELDS",
    "NEVER_PUBLISHED",
    "Policy",
    "RedactionLog",
    "Scrubber",
    "Span",
    "TextFn",
    "_exempt",
    "_words",
    "all_items",
    "bare_names",
    "detector_data",
    "iter_text",
    "load_policy",
    "output_detector",
    "property_terms",
    "public_corpus",
    "public_review",
    "public_view",
    "redact",
    "redact_overrides",
    "signoff_terms",
    "surnames",
    "text_scrubber",
    "version_before",
    "public_previous",
    "walk_text",
]
