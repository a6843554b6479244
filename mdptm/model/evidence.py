"""What counts as evidence in a model's text: placeholders, negations and stated commitments.

Threat models are written by people under deadline: "TBD", "N/A", "not supported" fill required
cells, and a control may describe the absence of a safeguard ("there is no factory reset"). The
matcher must never read either as evidence. The words are data (``mappings/vocabulary/evidence.yaml``);
this module applies them: :func:`is_placeholder` for values, :func:`affirmed` for keywords in text
(a keyword counts only in a clause no negation governs), :func:`durations` for time commitments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mdptm.model import PLACEHOLDER, Control, empty_dict, empty_list
from mdptm.model.vocabulary import shipped

__all__ = [
    "EvidenceWords",
    "accepts_risk",
    "affirmed",
    "denied",
    "denied_part",
    "denies_measure",
    "denies_title",
    "durations",
    "evidence_words",
    "first_date",
    "is_placeholder",
    "not_in_place",
    "read_as_requirement",
    "real_values",
    "requirement_only",
    "stated",
    "read_responsibility",
    "responsibility_shown",
    "status_shown",
    "status_text",
    "void_control",
    "void_reason",
    "written_as",
]

_EDGE = re.compile(r"^[\s\"'`*_.,;:!?()\[\]{}<>]+|[\s\"'`*_,;:!?()\[\]{}<>]+$")
_SPACES = re.compile(r"\s+")
# A colon does not end a clause: "Factory reset: not supported" denies the factory reset.
_HARD_BREAK = re.compile(r"(?:\.(?!\d)|[;!?()\[\]\n\r•])+|\s[-–—]\s")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"), start=1
    )
}
_MONTH_DATE = re.compile(r"\b(?:(\d{1,2})\s+)?(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_YEAR = re.compile(r"\b(20\d{2}|19\d{2})\b")
# a template's slot left as it was: "[describe]", "<insert description>", "{{mitigation}}"
_SLOT = re.compile(r"^\s*(?:\[[^\[\]]*\]|<[^<>]*>|\{\{?[^{}]*\}?\})\s*\.?\s*$")
DENIAL_WORDS = 6  # a denying first clause is short: "Not implemented in this release"


@dataclass(frozen=True)
class EvidenceWords:
    """The vocabulary, compiled once."""

    placeholders: frozenset[str]
    negation: re.Pattern[str]
    not_negation: re.Pattern[str] | None
    clause_break: re.Pattern[str]
    duration: re.Pattern[str]
    units: dict[str, int]
    numbers: dict[str, int]
    control_denials: tuple[str, ...] = ()
    strong: re.Pattern[str] | None = None
    deadline: re.Pattern[str] | None = None
    attack_subject: re.Pattern[str] | None = None
    opener: re.Pattern[str] | None = None
    deferral: re.Pattern[str] | None = None
    patterns: re.Pattern[str] | None = None  # the deferral patterns alone (evidence.yaml deferral_patterns)


def _phrases(words: list[str]) -> str:
    alts = sorted({str(w).casefold().strip() for w in words if str(w).strip()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts)


class _Durations(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    units: dict[str, int]
    numbers: dict[str, int]
    deadline_words: list[str] = Field(default_factory=empty_list)


class _SbomWords(BaseModel):
    """``sbom`` in evidence.yaml: what an SBOM field must say to count as an SBOM in hand."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    formats: list[str] = Field(default_factory=empty_list)
    promises: list[str] = Field(default_factory=empty_list)
    on_request: list[str] = Field(default_factory=empty_list)
    request_contacts: list[str] = Field(default_factory=empty_list)
    support: list[str] = Field(default_factory=empty_list)


class EvidenceTerms(BaseModel):
    """``evidence.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int
    placeholders: list[str]
    negations: list[str]
    not_negations: list[str] = Field(default_factory=empty_list)
    strong_negations: list[str] = Field(default_factory=empty_list)
    control_denials: list[str] = Field(default_factory=empty_list)
    title_denials: list[str] = Field(default_factory=empty_list)
    title_denial_patterns: list[str] = Field(default_factory=empty_list)
    measure_denial_patterns: list[str] = Field(default_factory=empty_list)
    requirement_patterns: list[str] = Field(default_factory=empty_list)
    clause_breaks: list[str] = Field(default_factory=empty_list)
    attack_subjects: list[str] = Field(default_factory=empty_list)
    placeholder_openers: list[str] = Field(default_factory=empty_list)
    customer_enabled_patterns: list[str] = Field(default_factory=empty_list)
    deferrals: list[str] = Field(default_factory=empty_list)
    deferral_patterns: list[str] = Field(default_factory=empty_list)
    risk_acceptance_patterns: list[str] = Field(default_factory=empty_list)
    scope_limit_patterns: list[str] = Field(default_factory=empty_list)
    back_references: list[str] = Field(default_factory=empty_list)
    safeguards: list[str] = Field(default_factory=empty_list)
    sbom: _SbomWords = Field(default_factory=lambda: _SbomWords())
    without_delay: list[str] = Field(default_factory=empty_list)
    without_delay_days: int = 30
    advisories: list[str] = Field(default_factory=empty_list)
    support_withheld: dict[str, list[str]] = Field(default_factory=empty_dict)
    durations: _Durations


@cache
def evidence_words() -> EvidenceWords:
    raw: dict[str, Any] = shipped("evidence", EvidenceTerms).model_dump()
    placeholders = frozenset(_canon(str(p)) for p in raw.get("placeholders", []))
    deferrals = raw.get("deferrals") or []
    # a document or process still to be made ("A CVD policy will be published in Q3"), a requirement cited
    # rather than met ("An SBOM is required by the CRA"): the patterns the plain phrases cannot write
    more = "".join(f"|(?:{p})" for p in raw.get("deferral_patterns") or [])
    patterns = re.compile(more[1:], re.I) if more else None
    # what is only deferred is not stated either: a keyword in "TLS will be implemented in release 3" is no evidence
    negation = re.compile(rf"(?<![\w'])(?:{_phrases([*raw['negations'], *deferrals])})(?![\w']){more}", re.I)
    deferral = re.compile(rf"(?<![\w'])(?:{_phrases(deferrals)})(?![\w']){more}", re.I) if deferrals or more else None
    keep = raw.get("not_negations") or []
    not_negation = re.compile(rf"(?<![\w'])(?:{_phrases(keep)})(?![\w'])", re.I) if keep else None
    # a break word right after "not" or "as" is part of the denial: "not yet implemented" is one clause
    # and so is " yet " after "has" or "is": "MFA has yet to be configured" (auxiliaries that never end a clause)
    breaks = "|".join(
        rf"(?<!\bnot)(?<!\bas)(?<!\bhas)(?<!\bhave)(?<!\bis)(?<!\bare){re.escape(b.casefold())}" for b in raw.get("clause_breaks", [])
    )
    clause_break = re.compile(rf"{_HARD_BREAK.pattern}|{breaks}" if breaks else _HARD_BREAK.pattern, re.I)
    dur = raw.get("durations", {})
    units = {str(k).casefold(): int(v) for k, v in dur.get("units", {}).items()}
    numbers = {str(k).casefold(): int(v) for k, v in dur.get("numbers", {}).items()}
    num = r"\d+(?:[.,]\d+)?|" + "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    unit = "|".join(re.escape(u).replace(r"\ ", r"[\s-]+") for u in sorted(units, key=len, reverse=True))
    duration = re.compile(rf"(?<![\w.])({num})(?:[\s-]+|-?)({unit})(?![\w])", re.I)
    denials = tuple(_canon(str(d)) for d in raw.get("control_denials", []))
    strong_words = raw.get("strong_negations") or []
    strong = re.compile(rf"(?<![\w'])(?:{_phrases(strong_words)})(?![\w'])", re.I) if strong_words else None
    lead_words = dur.get("deadline_words") or []
    deadline = re.compile(rf"(?<![\w'])(?:{_phrases(lead_words)})\s*$", re.I) if lead_words else None
    subjects = raw.get("attack_subjects") or []
    # the attacker opens the clause, after at most two words ("An adversary must…", "Any potential attack would…"),
    # and a lead-in of at most four words ending in "that" or a comma ("This means that an adversary must…",
    # "In this case, an attacker could…")
    lead_in = r"(?:(?:[\w'-]+\s+){1,3}that\s+|(?:[\w'-]+\s+){0,3}[\w'-]+,\s*)?"
    attack_subject = re.compile(rf"^\W*{lead_in}(?:[\w'-]+\s+){{0,2}}(?:{_phrases(subjects)})(?![\w'])", re.I) if subjects else None
    openers = raw.get("placeholder_openers") or []
    # after at most a short label of up to four words and a colon: "Authentication: to be defined"
    opener = re.compile(rf"^(?:[^:]{{0,40}}:\s*)?(?:{_phrases(openers)})(?![\w'])", re.I) if openers else None
    return EvidenceWords(
        placeholders,
        negation,
        not_negation,
        clause_break,
        duration,
        units,
        numbers,
        denials,
        strong,
        deadline,
        attack_subject,
        opener,
        deferral,
        patterns,
    )


# a typographic apostrophe (Word writes "isn’t") reads as the plain one the vocabulary is written with; one
# character for one, so offsets into the text stay the same
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _straight(text: str) -> str:
    return text.translate(_APOSTROPHES)


def _canon(text: str) -> str:
    return _SPACES.sub(" ", _EDGE.sub("", _straight(text.strip().casefold())))


# a label of at most 40 characters and one sentence (a version's dot allowed: "TLS 1.2"), a spaced dash, what follows
_DASHED = re.compile(r"^\s*(?:[^:=;.\n]|\.(?=\S)){1,40}?\s+[-–—]\s+(\S.*?)\s*$", re.S)


def is_placeholder(value: object) -> bool:
    """True when *value* says nothing: empty, or a placeholder such as TBD, N/A, none, "not supported".

    A text whose first clause is a placeholder ("TBD - depends on the supplier"), or is labelled with one
    ("Planned: TLS 1.3"), says nothing either.
    """
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (list, tuple, set)):
        return not real_values(value)
    if not isinstance(value, str):
        return False
    if PLACEHOLDER in value or _SLOT.match(value):
        return True
    words = evidence_words()
    text = _canon(value)
    if text in words.placeholders:
        return True
    # the first clause that says anything: "(D)TLS (PSK/RSA) to encrypt" opens with an empty one
    first = next((c for c in (_canon(x) for _, x in _clauses(value)) if c), "")
    if first in words.placeholders:
        return True
    # a placeholder as the label of what follows: "Planned: TLS 1.3", "TBD: AES or ChaCha", "N/A: internal"
    head, colon, tail = first.partition(":")
    if colon and _canon(head) in words.placeholders and _canon(head):
        return True
    # a short label over a placeholder: "SBOM: planned", "Encryption: suggested", "Verschlüsselung: k. A."
    if colon and len(head.split()) <= 4 and _canon(tail) in words.placeholders:
        return True
    # a short label, a dash and a placeholder: "TLS 1.2 — N/A", "SBOM - TBD", "Encryption – n/a (see below)": the
    # label names what is not there
    dashed = _DASHED.match(value)
    if dashed is not None and is_placeholder(dashed.group(1)):
        return True
    # a deferral that opens the value, after a short label: "Authentication: to be defined", "Patches: to be
    # agreed with each customer", "N/A for this product"
    if words.opener is not None and (not colon or len(head.split()) <= 4) and bool(words.opener.match(first)):
        return True
    # a value that only asks: "Do we have a CVD policy?", "2030-12-31?", "SBOM available on request?"
    return "?" in value and only_questions(value)


def real_values(values: Iterable[object]) -> list[str]:
    """The entries of a list field that are not placeholders."""
    return [str(v) for v in values if v is not None and not is_placeholder(str(v))]


class _VerificationWords(BaseModel):
    """The words of values.yaml that report a verification as not passed (the importers read the same list)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    verification_not_passed: list[str] = Field(default_factory=empty_list)


# what an entry says when the test is still to come or did not happen: "Planned pen test", "Untested", "Verification
# pending", "Will be verified in V&V", "Scheduled for Q3"
_NOT_DONE = re.compile(r"(?<![\w'])(?:untested|unverified|not\s+yet|pending|planned|scheduled|will\s+be|to\s+be|no\s+test)(?![\w'])", re.I)


def verified(values: Iterable[object]) -> list[str]:
    """The entries of a control's ``verification`` that cite a verification done: not a placeholder ("TBD"), not one
    that says it was not done ("Not tested"), not a result that did not pass ("Fail", "Not run", values.yaml ``verification_not_passed``)
    and not a test still to come ("Planned pen test", "Verification pending"). Only these show a control verified."""
    words = shipped("values", _VerificationWords).verification_not_passed
    out: list[str] = []
    for v in real_values(values):
        said = _canon(v)
        if _NOT_DONE.search(v) or any(said == w or said.startswith(w + " ") for w in words):
            continue
        out.append(v)
    return out


# " yet " right after a negation of at most five words, no comma between, is the adverb of a measure still to come ("No
# RBAC yet on the service port", "Audit logging is not enabled yet on the router", "Devices that are not paired yet
# cannot send commands"), not the conjunction that ends a clause ("The pump has no display, yet every dose is logged",
# "Small yet encrypted")
_YET_ADVERB = re.compile(r"(?:(?<![\w'])(?:no|not|none|never|nothing)|n't)(?:\s+[\w'/.-]+){0,5}$")


# a verb right after "yet": the negation before it was said of the subject ("Data not uploaded yet is kept encrypted",
# "Events not sent yet are logged locally"), and what follows is the statement
_YET_VERB = re.compile(
    r"(?:is|are|was|were|has|have|had|can|cannot|can't|could|will|won't|would|must|shall|should|may|might|do|does|did|"
    r"doesn't|don't|gets?|remains?|stays?)(?![\w'])"
)


def _yet_inside(low: str, start: int, m: re.Match[str]) -> bool:
    """Whether the adverb "yet" at *m* (after a negation) stays inside its clause: unless a verb follows it, and then
    only when the whole is a safeguard refusing what fails a check ("Devices that are not paired yet cannot send
    commands")."""
    if not _YET_VERB.match(low, m.end()):
        return True
    end = next((b.start() for b in evidence_words().clause_break.finditer(low, m.end())), len(low))
    return _refuses_failure(low[start:end])


# Remembered per text: every document that lists a control's status asks again (a 10 000-threat register's
# PTM asks once per threat row and control, 20 000 times of 333 controls); bounded for hostile input.
_TEXT_CACHE = 1 << 15


@lru_cache(maxsize=_TEXT_CACHE)  # a text is split four or five times on its way (the sample: 2 263 splits, 504 texts)
def _clauses(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, text) of each clause of *text*, casefolded, split at the clause breaks."""
    words = evidence_words()
    low = _straight(text.casefold())
    out: list[tuple[int, str]] = []
    start = 0
    for m in words.clause_break.finditer(low):
        if m.group(0) == " yet " and _YET_ADVERB.search(low, start, m.start()) and _yet_inside(low, start, m):
            continue  # "No RBAC yet on the service port": the adverb, the denial goes on
        out.append((start, low[start : m.start()]))
        start = m.end()
    out.append((start, low[start:]))
    return tuple(out)


_CONDITION = re.compile(r"(?<![\w'])(?:if|when|whenever|in case)(?![\w'])[^,;]*")
# a purpose says what the safeguard achieves: a negation in it ("signed so that it has not been altered", "hashes
# verified to confirm that the firmware was not tampered with") denies the attack, not the safeguard
_PURPOSE = re.compile(
    r"(?<![\w'])(?:so\s+that|so\s+as\s+to|in\s+order\s+(?:to|that)|to\s+(?:ensure|confirm|verify|guarantee|make\s+sure|check)"
    r"(?:\s+that)?|ensur(?:e|es|ing)\s+that)(?![\w'])[^,;]*"
)


# a refusal of what fails a check is the check: "The bootloader does not start an image whose signature does not
# verify", "rejects any update that is not signed" (the refusal and what it refuses say the safeguard, not its absence)
_REFUSAL = re.compile(
    r"(?<![\w'])(?:(?:does|do|will|shall|must)(?:\s+not|n['’]t)\s+(?:start|boot|accept|load|run|install|execute|apply|open)|"
    r"won['’]t\s+(?:start|boot|accept|load|run|install|execute|apply|open)|cannot\s+(?:start|boot|load|run|install|execute)|"
    r"rejects?|refuses?|discards?|drops?|blocks?)(?![\w'])"
    r"(?P<refused>[^,;]{0,60}?(?<![\w'])(?:whose|that|which|unless|if|with|without)(?![\w'])[^,;]*)"
)


def _blank(rx: re.Pattern[str], text: str) -> str:
    return rx.sub(lambda m: " " * len(m.group(0)), text)


# what a refused thing fails: a refusal counts only when what it refuses fails a check ("… whose signature does not
# verify", "… that is not signed", "… with an expired certificate"); "does not run signature checks that the spec
# requires" refuses nothing
_FAILS = re.compile(
    r"(?:\w+n't(?![\w']))|(?<![\w'])(?:not|no|fails?|failed|invalid|unsigned|untrusted|unknown|expired|revoked|tampered|wrong|bad|malformed|"
    r"un\w{3,}ed|mismatch\w*|without)(?![\w'])"
)


# a refusal written in the passive, or what a safeguard does to what fails a check: "Updates that haven't been signed
# are rejected", "Accounts not used for 90 days are disabled", "Sessions that are not yet authenticated time out",
# "Access is denied to accounts that have not been enrolled". Never itself denied ("are not rejected" is no refusal).
_PASSIVE_REFUSAL = re.compile(
    r"(?<![\w'])(?:(?:is|are|was|were|will\s+be|gets?|get)\s+(?:then\s+|automatically\s+|always\s+|immediately\s+)?"
    r"(?:rejected|refused|denied|discarded|dropped|blocked|disabled|locked(?:\s+out)?|quarantined|ignored|terminated|"
    r"logged\s+out|revoked|deleted|wiped)|(?:times?|timed)\s+out|expires?|(?:is|are)\s+(?:never|not)\s+(?:installed|executed|"
    r"accepted|loaded|run|started|booted|applied|processed|forwarded|trusted|allowed|permitted)|"
    # a restriction on what fails the check: "Devices not yet paired cannot send commands", "… gets no drug library"
    r"(?:cannot|can['’]t|can\s+not)\s+(?:send|connect|log\s+in|login|sign\s+in|access|change|install|run|execute|boot|pair|"
    r"read|write|open|start|control|modify|reach|join|use|submit|issue|delete|upload|download|update|unlock|enter)|"
    r"(?:gets?|sees?|receives?|gains?)\s+no)(?![\w'])"
)


def _refuses_failure(text: str) -> bool:
    """Whether *text* is a safeguard refusing what fails a check (:data:`_PASSIVE_REFUSAL` with a failure word
    outside the refusal itself): its negations say what is refused, not that a safeguard is missing."""
    m = _PASSIVE_REFUSAL.search(text)
    if m is None:
        return False
    # the failure is said in the same part of the sentence: "RBAC is not enforced, so clinicians cannot change limits"
    # denies RBAC in its own part
    start = max(text.rfind(",", 0, m.start()), text.rfind(";", 0, m.start())) + 1
    ends = [i for i in (text.find(",", m.end()), text.find(";", m.end())) if i >= 0]
    end = min(ends) if ends else len(text)
    return _FAILS.search(text[start : m.start()] + " " + text[m.end() : end]) is not None


def _unconditional(text: str) -> str:
    """*text* without the parts whose negations deny no safeguard: a purpose ("so that it has not been altered") and
    a refusal of what fails a check ("does not start an image whose signature does not verify", "Updates that
    haven't been signed are rejected")."""
    if _refuses_failure(text):
        return " " * len(text)
    text = _blank(_PURPOSE, text)
    return _REFUSAL.sub(lambda m: " " * len(m.group(0)) if _FAILS.search(m.group("refused")) else m.group(0), text)


def _masked(clause: str) -> str:
    """*clause* with what only sounds negative blanked out ("no later than", a condition, a purpose, a refusal of what
    fails a check), offsets kept: the negations left in it deny."""
    words = evidence_words()
    masked = clause
    if words.not_negation is not None:
        masked = words.not_negation.sub(lambda m: " " * len(m.group(0)), masked)
    # a negation in a condition ("if the webhook is unavailable", "when the certificate is not valid") says
    # when the safeguard acts, it does not deny it
    return _unconditional(_blank(_CONDITION, masked))


def _negated(clause: str, start: int, end: int) -> bool:
    """Does a negation govern the keyword at clause[start:end]? A negation word inside the keyword
    itself, or inside a phrase that only sounds negative ("no later than"), does not count."""
    words = evidence_words()
    for m in words.negation.finditer(_masked(clause)):
        if m.start() < end and m.end() > start and not (words.patterns is not None and words.patterns.fullmatch(m.group())):
            # the negation word is part of the keyword ("disabled by default", "no-touch"); a keyword inside a
            # deferral pattern's words is what it defers ("IEC 62443 requires audit logs": the standard is cited)
            continue
        return True
    return False


_NON_PREFIX = re.compile(r"(?<![\w'])non[\s-]?$")


def affirmed(text: str, keywords: tuple[str, ...] | list[str]) -> list[str]:
    """The keywords (casefolded) that occur in *text* in a clause no negation governs. A keyword is found
    where a word starts ("recover" is not in "irrecoverable", nor after "non-"; "throttl" still finds
    "throttling"), and not in a clause whose subject is the attacker (``attack_subjects``: "Attackers can
    exploit…", "An adversary must have root-exploited…"): such a clause describes the attack, not a measure."""
    found: list[str] = []
    wanted = [k.casefold() for k in keywords if k]
    if not wanted:
        return found
    subject = evidence_words().attack_subject
    clauses = _clauses(text)
    low = _straight(text.casefold())
    for i, (_start, clause) in enumerate(clauses):
        if _taken_back(low, clauses, i) or _labelled_void(clause):
            continue  # "Audit logging (planned)", "TLS - not yet", "Encrypted: false": the keyword is withdrawn
        attacker = subject.search(clause) if subject is not None else None
        for kw in wanted:
            if kw in found:
                continue
            pos = clause.find(kw)
            while pos >= 0:
                if _word_start(clause, pos, kw) and not _negated(clause, pos, pos + len(kw)) and not (attacker and attacker.end() <= pos):
                    found.append(kw)
                    break
                pos = clause.find(kw, pos + 1)
    return found


_LABEL_VALUE = re.compile(r"^\s*[^:=]{1,40}?\s*[:=]\s*(\S.*?)\s*$", re.S)
# a flow's encryption or authentication whose first clause says there is none: "none", "No - plain TCP",
# "none (proprietary binary protocol)", "false", "0" (as a tool's export writes it), or that opens with the flow's
# want of it: "Unencrypted (plain HTTP)", "Not encrypted - MLLP", "Plaintext; TLS planned", "Off"
_SAYS_NONE = re.compile(
    r"^\s*(?:none|no|nothing|false|0|off|disabled|unencrypted|not\s+encrypted|plain\s*text|clear\s*text|unauthenticated|"
    r"not\s+authenticated|unsigned|not\s+signed)\s*(?:$|[(,;:.]|\s[-–—]\s?)",
    re.I,
)


def says_none(text: str) -> bool:
    """Whether a flow's encryption or authentication text says the flow has none: a stated gap, which no reader
    takes for a placeholder ("none" alone is one elsewhere: "Verification: none")."""
    return _SAYS_NONE.match(text) is not None


_NO_SAFEGUARD = re.compile(r"^\s*(?:no|without|never)\b")  # "TLS 1.3 (no plaintext fallback)" states TLS


def _taken_back(low: str, clauses: Sequence[tuple[int, str]], i: int) -> bool:
    """Whether what follows clause *i* withdraws it: a parenthesis or a dash before a placeholder or a denial ("Audit
    logging (planned)", "Encryption at rest (not implemented)", "TLS - not yet", "Encryption — N/A", "TLS 1.2 -
    disabled"). "(no plaintext fallback)" and "- no default password" state a safeguard."""
    if i + 1 >= len(clauses):
        return False
    start, clause = clauses[i]
    nxt_start, nxt = clauses[i + 1]
    between = low[start + len(clause) : nxt_start]
    if not _canon(nxt):
        return False
    if "(" in between:
        return _takes_back(nxt, clause)
    if any(d in between for d in "-–—"):  # "TLS 1.2 - disabled" withdraws it as "(disabled)" does
        return is_placeholder(nxt) or _takes_back(nxt, clause)
    return False


def _labelled_void(clause: str) -> bool:
    """A clause written as a label and a value that denies or says nothing: "Encrypted: false", "Encryption = No",
    "Encryption: ✗". The keyword is the label of an empty answer."""
    m = _LABEL_VALUE.match(clause)
    return m is not None and is_placeholder(m.group(1))


def _word_start(clause: str, pos: int, kw: str) -> bool:
    """Whether the keyword at clause[pos:] starts a word (a keyword that opens with punctuation always does)."""
    if not kw[:1].isalnum():
        return True
    if pos > 0 and clause[pos - 1].isalnum():
        return False
    return not _NON_PREFIX.search(clause[:pos])


def stated(value: object) -> bool:
    """A field value that states something: not a placeholder, and not only denials ("there is no SBOM")."""
    if is_placeholder(value):
        return False
    if not isinstance(value, str):
        return True
    clauses = _clauses(value)
    low = _straight(value.casefold())
    for i, (start, clause) in enumerate(clauses):
        if _canon(clause) and not is_placeholder(clause) and not _negated(clause, len(clause), len(clause)):
            after = clauses[i + 1] if i + 1 < len(clauses) else None
            before = low[: after[0]].rstrip() if after is not None else ""
            if after is not None and before.endswith("(") and _takes_back(after[1], clause):
                continue  # "TLS (planned)": the parentheses take the clause back
            if after is not None and before.endswith(("-", "–", "—")) and _takes_back(after[1], clause):
                continue  # "TLS 1.2 - disabled", as "TLS 1.2 (disabled)"
            if "?" in low[start + len(clause) : after[0] if after is not None else len(low)]:
                continue  # "Does the device have a CVD policy? We are checking.": a question states nothing
            return True
    return False


@cache
def _back_references() -> frozenset[str]:
    """``back_references`` of evidence.yaml: the words a parenthesis may open with and still speak of what came before it."""
    return frozenset(w.casefold() for w in shipped("evidence", EvidenceTerms).back_references)


def _takes_back(clause: str, before: str = "") -> bool:
    """Whether a parenthesis withdraws the clause *before* it: a placeholder or a denial of that clause ("planned",
    "not yet", "this is not implemented", "data is not encrypted" after "Encryption at rest"). Only what the parenthesis
    speaks of is withdrawn: one that denies something else with its own subject ("AES-256 (keys are not exported)",
    "(the key never leaves the secure element)") or writes a safeguard ("(no plaintext fallback)") leaves the clause
    standing, and one that limits where it applies ("(not on the service port)") leaves it in part
    (:func:`scope_limit`)."""
    if not _canon(clause):
        return False
    if is_placeholder(clause):
        return True
    limit = scope_limit(f"{before} ({clause})")
    if _NO_SAFEGUARD.match(clause) or (limit is not None and limit.casefold() in clause):
        return False
    found = evidence_words().negation.search(_masked(clause))
    if found is None:
        return False
    back = _back_references()
    subject = [w for w in _WORD.findall(clause[: found.start()]) if w not in back]
    if not subject:
        return True  # "(not implemented)", "(this is not enabled yet)": said of what came before
    # a subject of its own: the parenthesis withdraws the clause only when it names what the clause names ("TLS 1.2 (TLS
    # is not yet enabled)", "Encryption at rest (data is not encrypted)"); its negation words name nothing
    said = before.casefold()
    rest = evidence_words().negation.sub(" ", clause[found.start() :])
    named = [w for w in _WORD.findall(rest) if len(w) >= 4 and w not in back]
    return any(_stem(w) in said for w in named) or all(_stem(w) in said for w in subject)


_WORD = re.compile(r"[^\W_]+")


def durations(text: str, *, deadlines: bool = False) -> list[tuple[int, str]]:
    """Time spans stated in *text* and not denied, as (days, the words as written): "within 30 days" → (30, "30 days").

    With *deadlines*, only spans a deadline word introduces ("within", "no later than", vocabulary
    ``deadline_words``) when the text has any: "patches within 30 days for 10 years" commits to 30 days.
    """
    if deadlines:
        found = [(d, w) for d, w, lead in _spans(text) if lead]
        return found or durations(text)
    return [(d, w) for d, w, _ in _spans(text)]


def _spans(text: str) -> list[tuple[int, str, bool]]:
    words = evidence_words()
    out: list[tuple[int, str, bool]] = []
    for _, clause in _clauses(text):
        for m in words.duration.finditer(clause):
            if _negated(clause, m.start(), m.end()):
                continue
            raw_num = m.group(1).casefold()
            try:
                number = float(raw_num.replace(",", ".")) if raw_num[0].isdigit() else float(words.numbers[raw_num])
            except (KeyError, ValueError):
                continue
            unit = _SPACES.sub(" ", m.group(2).casefold().replace("-", " "))
            days = words.units.get(unit)
            if days is None:
                continue
            before = clause[max(0, m.start() - 24) : m.start()]
            lead = words.deadline is not None and words.deadline.search(before) is not None
            out.append((round(number * days), _SPACES.sub(" ", m.group(0).strip()), lead))
    return out


def first_date(text: str) -> date | None:
    """The first calendar date stated in *text* (ISO, "31 December 2034", "December 2034", "31.12.2034" or a
    bare year, read as its last day), or None."""
    low = text.casefold()
    found: list[tuple[int, date]] = []
    for m in _ISO_DATE.finditer(low):
        try:
            found.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            continue
    for m in _MONTH_DATE.finditer(low):
        month = _MONTHS[m.group(2)]
        day = int(m.group(1)) if m.group(1) else 28
        try:
            found.append((m.start(), date(int(m.group(3)), month, day)))
        except ValueError:
            continue
    for m in _DMY.finditer(low):
        try:
            found.append((m.start(), date(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
        except ValueError:
            continue
    if not found:
        found.extend((m.start(), date(int(m.group(1)), 12, 31)) for m in _YEAR.finditer(low))
    return min(found)[1] if found else None


def denied(text: str) -> bool:
    """A description that opens by denying the control it belongs to ("Not implemented in this release",
    "Known gap", "Missing"): its first clause is short and starts with one of the vocabulary's
    ``control_denials``. A bare placeholder ("TBD") says nothing and denies nothing."""
    first = _canon(_clauses(text)[0][1]) if text.strip() else ""
    if not first or len(first.split()) > DENIAL_WORDS:
        return False
    return any(first == d or first.startswith(d + " ") for d in evidence_words().control_denials)


# Words of a control title too general to say what the control is ("Secure boot" is about the boot).
_GENERIC_TITLE_WORDS = frozenset(
    {
        "control",
        "controls",
        "data",
        "system",
        "device",
        "security",
        "secure",
        "protection",
        "protect",
        "management",
        "mechanism",
        "mechanisms",
        "based",
        "using",
        "with",
        "from",
        "into",
        "over",
        "every",
        "only",
        "user",
        "users",
        "implement",
        "implementation",
        "ensure",
        "strong",
        "proper",
        "mitigation",
        "measure",
        "measures",
    }
)


@cache
def _patterns(field: str) -> re.Pattern[str] | None:
    """One of the vocabulary's lists of regular expressions (``measure_denial_patterns``, ``requirement_patterns``,
    ``customer_enabled_patterns``, ``risk_acceptance_patterns``) as one case-insensitive pattern; None when empty."""
    terms = shipped("evidence", EvidenceTerms)
    pats: list[str] = getattr(terms, field)
    # "{safeguard}" stands for the words that name a safeguard ("No encryption", "Authentication is not required")
    safeguard = _phrases(terms.safeguards) or r"(?!)"
    return re.compile("|".join(f"(?:{p.replace('{safeguard}', safeguard)})" for p in pats), re.I) if pats else None


@cache
def _title_denial() -> re.Pattern[str] | None:
    terms = shipped("evidence", EvidenceTerms)
    parts = [rf"(?<![\w'])(?:{_phrases(terms.title_denials)})(?![\w'])"] if terms.title_denials else []
    parts += [f"(?:{p})" for p in terms.title_denial_patterns]
    return re.compile("|".join(parts), re.I) if parts else None


_ACRONYM_SKIP = frozenset({"of", "and", "for", "the", "to", "in", "on", "with", "a", "an", "by", "at", "or", "via"})


def _acronyms(title: str) -> set[str]:
    """The short names a description may use for what a title names: the initials of a title of three words or more
    ("Role-based access control" → "rbac", "Multi-factor authentication" → "mfa"), and a title's own upper-case
    abbreviations of three letters ("TLS", "MFA"), which the six-letter stems leave out."""
    words = [w for w in re.findall(r"[A-Za-z]+", title) if w.casefold() not in _ACRONYM_SKIP]
    found = {w.casefold() for w in words if len(w) == 3 and w.isupper()}
    if len(words) >= 3:
        found.add("".join(w[0] for w in words).casefold())
    return {a for a in found if len(a) >= 3}


def _stem(word: str) -> str:
    """The first six letters of a title word, shorter where its ending would hide other forms ("logging"
    finds "logged")."""
    root = re.sub(r"(?:ing|ed|ion|s)$", "", word)
    return min(word[:6], root if len(root) >= 4 else word[:6], key=len)


def denies_title(title: str, description: str) -> bool:
    """The description speaks of what the title names only in clauses that deny or defer it ("Encryption
    at rest" / "Patient data is not encrypted at rest", "Secure boot" / "We plan to add secure boot"): the
    control describes no safeguard in place. Title words are matched by their first six letters
    ("encryption" finds "encrypted"), each comma-separated part on its own ("fail open, so that … is
    unavailable, or fail closed" denies nothing); a description that never mentions them denies nothing, nor
    does one whose title itself carries the denial."""
    rx = _title_denial()
    if rx is None or not description.strip() or rx.search(title):  # "Objects are not deserialized": the denial is the safeguard
        return False
    stems = {_stem(w) for w in re.findall(r"[a-z]{4,}", title.casefold()) if w not in _GENERIC_TITLE_WORDS}
    short = _acronyms(title)  # "RBAC hasn't been rolled out yet" speaks of "Role-based access control"
    if not stems and not short:
        return False
    named = re.compile(rf"(?<![\w'])(?:{'|'.join(sorted(short))})(?![\w'])") if short else None
    words = evidence_words()
    hits = [
        p for _, c in _clauses(description) for p in c.split(",") if any(s in p for s in stems) or (named is not None and named.search(p))
    ]
    if not hits:
        return False
    for clause in hits:
        masked = words.not_negation.sub(lambda m: " " * len(m.group(0)), clause) if words.not_negation else clause
        found = rx.search(_unconditional(masked))
        if found is None or _CONDITION_AFTER.search(masked, found.end()):
            return False  # "Updates are not rolled out until the hospital approves them": a condition of the safeguard
    return True


# what turns a denial into a condition of the safeguard: "not rolled out until the hospital approves", "is not
# applied without the clinician's confirmation"
_CONDITION_AFTER = re.compile(r"(?<![\w'])(?:without|unless|until|before|except|other\s+than)(?![\w'])", re.I)


def denies_measure(text: str) -> bool:
    """A text that says nothing but that a measure is not in place: each of its clauses denies one
    (``measure_denial_patterns``: "RBAC hasn't been rolled out yet", "Role checks are not enforced on the service
    port", "Signature checks are no longer enforced", "RBAC TBD", "Out of scope for this release") or is a
    placeholder, whatever words the measure is named with. "No default passwords are shipped", "Prevents
    unauthenticated access", "Telnet is not enabled" deny nothing of the kind."""
    rx = _patterns("measure_denial_patterns")
    if rx is None or not text.strip():
        return False
    said = [c for _, c in _clauses(text) if _canon(c)]
    denials = 0
    for clause in said:
        m = rx.search(_unconditional(clause))
        if m is not None and not _CONDITION_AFTER.search(clause, m.end()):
            denials += 1
        elif not is_placeholder(clause):
            return False
    return denials > 0


# the word that makes a sentence a requirement; an instruction opens with its verb ("Implement MFA", "Ensure audit
# logs are recorded": what is to be done, written in a mitigation cell)
_INSTRUCTION_VERBS = r"implement|ensure|make\s+sure|introduce|establish|adopt|put\s+in\s+place|add|deploy"
_MODAL_WORD = re.compile(
    rf"\b(?:shall|must|should|required\s+to)\b|^\W*(?:please\s+)?(?:{_INSTRUCTION_VERBS})\b"
    r"|^\W*(?:(?:security|cybersecurity|design|system)\s+)?requirements?\b",
    re.I,
)
_MAY_WORD = re.compile(r"\b(?:may|might|could)\b", re.I)  # only where no stronger word requires ("… may … shall …")


def requirement_kind(word: str | None) -> str:
    """What requirement wording makes of a control: "should" recommends, "shall" and "must" require, as does a text
    labelled "Requirement:", "may" only allows ("The device may use TLS 1.2"), a verb that opens the text
    ("Implement", "Ensure") instructs."""
    if word == "should":
        return "recommendation"
    if word in ("may", "might", "could"):
        return "possibility"
    return "requirement" if word in (None, "shall", "must", "required to") or (word and "requirement" in word) else "instruction"


def written_as(c: Control) -> str:
    """ "recommendation" for a control written with "should", "possibility" for one with "may" ("The device may use
    TLS 1.2"), "instruction" for one that opens with "Implement", "Ensure" …, else "requirement"
    (:func:`requirement_only`)."""
    return requirement_kind(requirement_only(c.title, c.description))


def with_article(noun: str) -> str:
    """ "a requirement", "an instruction"."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


@lru_cache(maxsize=_TEXT_CACHE)
def requirement_only(title: str, description: str) -> str | None:
    """The requirement word ("shall", "must", "should") when a control's text (its description, else its title) is
    only requirement wording ("The device shall encrypt stored data.", "Firmware updates should be signed.",
    ``requirement_patterns``): it says what the device is to do, not that it does it. None when any sentence states
    something else ("The device shall encrypt stored data. Keys are kept in the secure element.")."""
    rx = _patterns("requirement_patterns")
    text = description if description.strip() else title
    if rx is None or not text.strip():
        return None
    sentences = [x.strip() for x in _SENTENCE.split(text.strip().lstrip("-*• ")) if _canon(x)]
    said = [x for x in sentences if not is_placeholder(x)]
    if not said or not all(rx.search(x.lstrip("-*• ")) for x in said):
        return None
    found = _MODAL_WORD.search(said[0].lstrip("-*• ")) or _MAY_WORD.search(said[0].lstrip("-*• "))
    return " ".join(found.group(0).casefold().strip(" \t\n-*•\"'").removeprefix("please ").split()) if found else None


@cache
def _scope_limits() -> tuple[re.Pattern[str], ...]:
    """``scope_limit_patterns``, each compiled on its own (each names its group ``limit``)."""
    terms = shipped("evidence", EvidenceTerms)
    safeguard = _phrases(terms.safeguards) or r"(?!)"
    return tuple(re.compile(p.replace("{safeguard}", safeguard), re.I) for p in terms.scope_limit_patterns)


def scope_limit(text: str) -> str | None:
    """The words that limit the measure *text* states to a part of the product or of the time, as written ("not on
    the service port", "except the service port", "only for the web UI", "partially implemented", "where supported"),
    or None (``scope_limit_patterns``). Such a measure is in place only in part."""
    for sentence in _SENTENCE.split(_straight(text)):
        for rx in _scope_limits():
            m = rx.search(sentence)
            if m is not None:
                said = m.group("limit") if "limit" in rx.groupindex and m.group("limit") else m.group(0)
                return " ".join(said.split())
    return None


@lru_cache(maxsize=_TEXT_CACHE)
def denied_part(title: str, description: str) -> str | None:
    """The first clause of a control's text (its description, else its title) that denies a measure
    (``measure_denial_patterns``: "TLS on the HL7 link; not yet on DICOM" → "not yet on DICOM"), as written, when the
    rest states one: the control is in place only in part. None when no clause denies one, or when the control as a
    whole describes no safeguard (:func:`void_reason`: it counts for nothing, not in part)."""
    rx = _patterns("measure_denial_patterns")
    text = description if description.strip() else title
    if rx is None or not text.strip() or void_reason(title, description) is not None:
        return None
    same = len(_straight(text.casefold())) == len(text)  # offsets into the casefolded text are offsets into the text
    for start, clause in _clauses(text):
        m = rx.search(_unconditional(clause))
        if m is not None and not _CONDITION_AFTER.search(clause, m.end()):
            said = text[start : start + len(clause)] if same else clause
            return " ".join(said.split()).strip(" ,:")
    return scope_limit(text)  # "TLS 1.2 on all interfaces except the service port", "partially implemented"


def read_as_requirement(c: Control) -> bool:
    """A maker's control read as implemented only because no source states its status, whose text is only
    requirement wording and which cites no verification: a requirement, not a control shown in place. A stated
    status stands, and so does a requirement a passed test verifies."""
    return (
        c.status == "implemented"
        and not c.status_stated
        and c.responsibility != "customer"
        and not verified(c.verification)
        and requirement_only(c.title, c.description) is not None
    )


def not_in_place(c: Control) -> str | None:
    """Why a control listed as implemented (as stated, or read so) is not counted as in place, in words for a
    rationale ("verification did not pass: TC-202: Fail — fix planned for 2.1", "written as a requirement
    ("shall"); no source states it is implemented"); None when it counts as the source says."""
    if c.status == "implemented" and c.verification_failed:
        return f"verification did not pass: {c.verification_failed}"
    if read_as_requirement(c):
        word = requirement_only(c.title, c.description)
        return f'written as {with_article(requirement_kind(word))} ("{word}"); no source states it is implemented'
    return None


_MONTH_NAMES = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# the release or date a planned control's text names: "planned for release 2.1", "scheduled for Q3 2027", "deferred to
# v3", "Planned: H1 2027", "(planned for the next release)"
_TARGET = (
    r"(?:(?:software\s+|firmware\s+|product\s+)?(?:release|version|build|sprint|milestone|iteration)\s+v?\d[\w.-]*"
    r"|v\d+(?:\.\d+)*\b|q[1-4]\s*[/-]?\s*(?:fy\s*)?(?:20)?\d\d\b|h[12]\s*[/-]?\s*20\d\d|(?:early|mid|late|end\s+of)[\s-]+20\d\d"
    rf"|(?:{_MONTH_NAMES})\.?\s+20\d\d|20\d\d-\d\d(?:-\d\d)?|\d{{1,2}}[./]\d{{1,2}}[./]20\d\d|20\d\d\b"
    r"|(?:the\s+)?next\s+(?:major\s+|minor\s+|software\s+|firmware\s+)?(?:release|version|update))"
)
_PLANNED_FOR = re.compile(
    r"(?<![\w'])(?:planned|scheduled|targeted|deferred|postponed|moved|expected|due|slated|foreseen|intended|"
    r"will\s+be\s+(?:implemented|added|introduced|enabled|delivered|available|released)|to\s+be\s+(?:implemented|added|introduced|delivered))"
    rf"(?:\s+(?:for|to|in|by|until|with|from)\s+(?:the\s+(?!next\b))?|\s*[:–—-]\s*|\s+)({_TARGET})",
    re.I,
)


def planned_for(c: Control) -> str | None:
    """The release or date a planned control is due: as the source gives it beside the control (``planned_for``), else
    as its text says ("release 2.1", "Q3 2027", "the next release"); None when the control is not planned or neither
    names one. Shown with its status:
    "Planned" alone leaves out when."""
    return _target(c) if c.status == "planned" else None


def _target(c: Control) -> str | None:
    if c.planned_for is not None and stated(c.planned_for):  # "Target Completion Date: 2026-08-31" beside the control
        return " ".join(c.planned_for.split())
    for text in (c.description, c.title):
        m = _PLANNED_FOR.search(text or "")
        if m is not None:
            return " ".join(m.group(1).split()).rstrip(".")
    return None


def authentication_in_place(value: str) -> bool:
    """Whether a flow's authentication text states a mechanism in place: "Mutual TLS (planned)", "mTLS planned for
    release 5", "None" state none."""
    return stated(value) and void_reason("", value) is None


def authentication_shown(value: str) -> str:
    """A flow's stated authentication as the documents show it, saying what is in place: "none" for "None" (and
    "none (Not authenticated)"), a mechanism only planned or taken back is none in place ("none in place (Mutual TLS
    (planned))"), one the hospital must turn on is not enforced ("Optional: not enforced unless turned on"); else as
    written. *value* is stated; an absent one is the document's "not stated"."""
    text = " ".join(value.split())
    if _canon(text) in ("none", "no"):
        return "none"
    if says_none(text):
        return text if _canon(text).startswith("none") else f"none ({text})"
    if not authentication_in_place(text):
        return f"none in place ({text})"
    if customer_enabled(text, "") is not None:
        return f"{text.rstrip('.')}: not enforced unless turned on"
    return text


_ONLY_TARGET = re.compile(rf"^\s*(?:by\s+|in\s+|from\s+)?({_TARGET})\s*\.?\s*$", re.I)
_QUARTER = re.compile(r"\bq([1-4])\s*[/-]?\s*(?:fy\s*)?((?:20)?\d\d)\b", re.I)


def _period_end(text: str) -> date | None:
    """The last day of the period *text* names: a quarter's ("Q4 2026"), else :func:`first_date`'s."""
    q = _QUARTER.search(text)
    if q is not None:
        year = int(q.group(2)) + (2000 if len(q.group(2)) == 2 else 0)
        return date(year, 3 * int(q.group(1)), 30 if int(q.group(1)) in (2, 3) else 31)
    return first_date(text)


def due_after(title: str, description: str, as_of: str | None) -> str | None:
    """The date a control's text gives in place of a statement ("Secure boot — Q4 2026", "Secure boot: 2027", a
    description of only "Q4 2026."), as written, when the period it names ends after *as_of* (the document's date):
    a date still to come is when the safeguard is due, not evidence it is in place. None where the text states
    something beside the date ("verified 2025-03"), the period has ended, or there is no document date to read it
    against (never the clock: the output stays the same from one day to the next)."""
    ref = first_date(as_of) if as_of else None
    text = description if description.strip() else title
    if ref is None or not text.strip():
        return None
    labelled = _DASHED.match(text) or _LABEL_VALUE.match(text)
    m = _ONLY_TARGET.match(labelled.group(1) if labelled else text)
    if m is None:
        return None
    when = _period_end(m.group(1))
    return " ".join(m.group(1).split()) if when is not None and when > ref else None


def status_shown(c: Control) -> str | None:
    """What the documents say in place of "Implemented" for a control listed so but not in place
    (:func:`not_in_place`): "Verification did not pass (TC-202: Fail — fix planned for 2.1)", "Not stated (written
    as a requirement)", or in place only in part ('Implemented in part (its text says "not yet on DICOM")'); for a
    planned control, the release or date its text names ("Planned for release 2.1"); None when the status stands as the
    source gives it (or as mdptm reads it) with nothing to add."""
    if c.status == "implemented" and c.verification_failed:
        return f"Verification did not pass ({c.verification_failed})"
    if read_as_requirement(c):
        return f"Not stated (written as {with_article(requirement_kind(requirement_only(c.title, c.description)))})"
    if c.status == "implemented":
        why = void_reason(c.title, c.description)  # "RBAC hasn't been rolled out yet": the text takes the status back
        if why is not None:
            said = "Stated implemented" if c.status_stated else "Not stated"
            target = _target(c) if why == "denied" else None  # "Rate limiting is planned for release 2.1"
            return f"{said}; its text says it is planned for {target}" if target else f"{said}; {_VOID_WORDS[why]}"
        part = denied_part(c.title, c.description)  # "TLS on the HL7 link; not yet on DICOM"
        if part is not None:
            assumed = "" if c.status_stated else "assumed: not stated; "
            return f'Implemented in part ({assumed}its text says "{part}")'
    target = planned_for(c)  # "Planned for release 2.1": when, as the text says, not "Planned" alone
    if target is not None:
        return f"Planned for {target}" + ("" if c.status_stated else " (assumed: not stated)")
    return None


def status_text(c: Control, words: Callable[[str], str]) -> str:
    """A control's status as a table shows it: :func:`status_shown` where the control is listed as implemented but
    not in place, else its status in *words*, marked where no source states it ("Implemented (assumed: not
    stated)")."""
    return status_shown(c) or words(c.status) + ("" if c.status_stated else " (assumed: not stated)")


# what a control's text says instead of a safeguard, by void_reason
_VOID_WORDS = {
    "question": "its text only asks",
    "acceptance": "its text argues the risk is acceptable",
    "void": "its text describes no safeguard in place",
    "denied": "its text says it is not in place",
    "placeholder": "its text says nothing yet",
    "citation": "its text only points to another document",
}


@lru_cache(maxsize=_TEXT_CACHE)  # asked of each control for every threat row that lists it
def customer_enabled(title: str, description: str) -> str | None:
    """The words that make a control protect only when the customer turns it on ("TLS can be enabled by
    the hospital", "optional encryption", "encrypted if configured"), or None. Such a control is the
    hospital's configuration choice: not the maker's safeguard, nor a sign the product is secure by
    default (``customer_enabled_patterns`` in evidence.yaml). A denied clause does not count."""
    rx = _patterns("customer_enabled_patterns")
    if rx is None:
        return None
    for text in (title, description):
        for m in rx.finditer(text or ""):
            return " ".join(m.group(0).split())
    return None


# Who, besides the device maker, carries out a control: the hospital as an organisation (not a user of the device:
# "The operator must log in with a PIN" is the device's authentication)
_PARTY = (
    r"(?:hospitals?|customers?|hdos?|health(?:care)?\s+delivery\s+organi[sz]ations?|healthcare\s+(?:facilities|facility|"
    r"providers?|organi[sz]ations?)|care\s+facilit(?:y|ies)|clinics?|facilit(?:y|ies)|sites?|(?:hospital|customer|site)\s+it|"
    r"it\s+department|clinical\s+engineering|biomedical\s+engineering|biomed)"
    r"(?:(?:'s|s'|’s)\s+(?:it|network|security|biomed|siem|soc|firewalls?|proxy|proxies|nac|systems?|vpns?|infrastructure)"
    r"(?:\s+(?:team|staff|department|administrators?))?)?"
)
# a duty, not a capability: "Biomed can back up the configuration" is the device's backup feature
_MODAL = (
    r"(?:(?:must|should|shall|will|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to|is\s+expected\s+to|are\s+expected\s+to)"
    r"\s+(?:also\s+|then\s+)?)?"
)
_DOES = (
    r"(?:appl(?:y|ies)|configures?|installs?|deploys?|segments?|maintains?|manages?|performs?|enforces?|implements?|keeps?|"
    r"monitors?|restricts?|changes?|rotates?|updates?|patch(?:es)?|sets?\s+up|places?|isolates?|runs?|operates?|hardens?|"
    r"backs?\s+up|handles?|ensures?|records?|logs?|blocks?|filters?|scans?|detects?|collects?|"
    r"encrypts?|provides?|takes?\s+care\s+of|(?:is|are)\s+responsible\s+for)"
)


# the party as the subject of a clause ("the hospital applies it", "Customers must change the default password"),
# or as the one a duty is laid on ("is the hospital's responsibility", "must be configured by the customer"); a
# party after a preposition is no subject ("alerts go to the hospital monitors")
@cache
def _hospital_does() -> re.Pattern[str]:
    """Compiled on first use (10 ms): an import that reads no control's text does not pay for it."""
    return re.compile(
        rf"(?:^\W*|\b(?:and|then|so|while|whereas|where|which|that|but)\s+)(?:the\s+|each\s+|every\s+|a\s+|an\s+)?{_PARTY}\s+{_MODAL}{_DOES}\b"
        rf"|\b(?:is|are)\s+(?:the\s+)?(?:sole\s+)?responsibility\s+of\s+(?:the\s+)?{_PARTY}\b"
        rf"|\b(?:the\s+)?{_PARTY}(?:'s|s'|’s)\s+(?:sole\s+)?responsibility\b"
        rf"|\b(?:is|are|must\s+be|should\s+be|shall\s+be|to\s+be|will\s+be)\s+(?:\w+\s+)?(?:performed|done|applied|configured|managed|"
        rf"maintained|implemented|installed|enforced|set\s+up|handled|deployed|segmented|changed|rotated|monitored|provided|encrypted|"
        rf"wiped|erased|saniti[sz]ed|taken|backed\s+up|patched|updated|reviewed|audited)"
        rf"\s+by\s+(?:the\s+|each\s+)?{_PARTY}\b"
        rf"|\b(?:provided|performed|handled|operated|supplied|enforced)\s+by\s+(?:the\s+|each\s+)?{_PARTY}\b"
        # what the control leans on is the party's: "Relies on the hospital firewall", "Assumes the hospital network is segmented"
        rf"|\b(?:relies|relying|rely|depends|depending|depend)\s+(?:up)?on\s+(?:the\s+|each\s+|a\s+)?{_PARTY}\b"
        rf"|(?:^\W*|\b(?:it|this|the\s+(?:control|design|device|system|product))\s+)assum(?:es|ed|ing|e)\s+(?:that\s+)?(?:the\s+|each\s+|a\s+)?{_PARTY}\b"
        rf"|^\W*(?:the\s+|each\s+)?{_PARTY}(?:\s+[\w-]+)?\s+(?:is|are)\s+assumed\s+to\b",
        re.I,
    )


# Who else carries out a control: a cloud or hosting provider, a platform vendor, a third party. Not "the vendor" or
# "the supplier" alone (in a device's threat model that is often the device maker), nor "the provider" alone (a
# healthcare provider is the hospital).
_OTHER = (
    r"(?:(?:cloud|hosting|infrastructure|platform|iaas|paas|saas|managed\s+service|internet\s+service|telecom(?:munications)?)"
    r"\s+(?:service\s+)?(?:providers?|vendors?|operators?)|(?:chip|silicon|semiconductor)\s+(?:vendors?|suppliers?|makers?)|third[\s-]part(?:y|ies)(?:\s+(?:providers?|vendors?|services?))?|"
    r"aws|amazon(?:\s+web\s+services)?|(?:microsoft\s+)?azure|microsoft|google(?:\s+cloud)?|gcp|(?:os|operating[\s-]system)\s+vendors?|isps?)"
)
_OTHER_DOES = rf"(?:{_DOES}|encrypts?|provides?|supplies|offers?|hosts?|secures?|protects?|signs?|authenticates?|terminates?)"


# the other party as the subject ("The cloud provider encrypts data at rest"), as the one who does it ("Encryption at
# rest is provided by AWS", "(provided by the cloud vendor)"), or as the one responsible ("is the cloud provider's
# responsibility"); a party after another preposition is no subject ("backups are stored in AWS")
@cache
def _other_does() -> re.Pattern[str]:
    """Compiled on first use, as :func:`_hospital_does`."""
    return re.compile(
        rf"(?:^\W*|\b(?:and|then|so|while|whereas|where|which|that|but)\s+)(?:the\s+|our\s+|a\s+)?{_OTHER}\s+{_MODAL}{_OTHER_DOES}\b"
        rf"|\b(?:provided|performed|handled|done|operated|enforced|applied|implemented|supplied|offered|managed|encrypted|secured|"
        rf"terminated|hosted|taken\s+care\s+of)\s+by\s+(?:the\s+|our\s+|a\s+)?{_OTHER}\b"
        rf"|\b(?:is|are)\s+(?:the\s+)?(?:sole\s+)?responsibility\s+of\s+(?:the\s+)?{_OTHER}\b"
        rf"|\b(?:the\s+)?{_OTHER}(?:'s|s'|’s)\s+(?:sole\s+)?responsibility\b"
        rf"|\b(?:relies|relying|rely|depends|depending|depend)\s+(?:up)?on\s+(?:the\s+|a\s+)?{_OTHER}\b",
        re.I,
    )


@lru_cache(maxsize=_TEXT_CACHE)  # asked of each control for every threat row that lists it
def hospital_performed(title: str, description: str) -> str | None:
    """The words that say the hospital, not the device maker, carries out a control ("the hospital applies it",
    "Customers must change the default password", "is the responsibility of the HDO"), in a clause no negation
    governs, or None. Such a control is the hospital's whatever its responsibility field says: a duty of the
    device maker cannot rest on it."""
    for text in (title, description):
        for _, clause in _clauses(text or ""):
            for m in _hospital_does().finditer(clause):
                if not _negated(clause, m.start(), m.end()):
                    return " ".join(m.group(0).split())
    return None


@lru_cache(maxsize=_TEXT_CACHE)  # asked of each control for every threat row that lists it
def third_party_performed(title: str, description: str) -> str | None:
    """The words that say a third party, neither the device maker nor the hospital, carries out a control ("The
    cloud provider encrypts data at rest", "AWS KMS (provided by the cloud vendor) encrypts the bucket", "is the
    hosting provider's responsibility"), in a clause no negation governs, or None. Such a measure is another party's:
    a duty of the device maker cannot rest on it."""
    for text in (title, description):
        for _, clause in _clauses(text or ""):
            for m in _other_does().finditer(clause):
                if not _negated(clause, m.start(), m.end()):
                    return " ".join(m.group(0).split())
    return None


def others_only(text: str) -> str | None:
    """Who else a text gives the work to when it says nothing else ("The hospital is responsible for patching",
    "Microsoft provides the Windows patches"): "the hospital" or "a third party"; None when any clause says something
    the maker does ("Microsoft provides the Windows patches; we validate them within 30 days"). A support fact written
    so is not the device maker's."""
    who: str | None = None
    for _, clause in _clauses(text):
        if not _canon(clause) or is_placeholder(clause):
            continue
        if hospital_performed(clause, "") is not None:
            who = who or "the hospital"
        elif third_party_performed(clause, "") is not None:
            who = who or "a third party"
        else:
            return None
    return who


def read_responsibility(c: Control) -> tuple[str, str] | None:
    """Who a control's text says carries it out when that is not who its responsibility says, with the words that say
    so: ("customer", "can be enabled by the hospital") for a protection the hospital turns on, ("customer", "the
    hospital's firewall blocks") for a control called the maker's that the hospital carries out, ("third_party",
    "provided by the cloud vendor") for another party's; None when the text agrees. The one reading the mapping and
    the documents share: a duty of the maker never rests on such a control, and no table shows it as the maker's."""
    if c.responsibility != "customer" and (said := customer_enabled(c.title, c.description)) is not None:
        return "customer", said
    if c.responsibility == "manufacturer":
        if (said := hospital_performed(c.title, c.description)) is not None:
            return "customer", said
        if (said := third_party_performed(c.title, c.description)) is not None:
            return "third_party", said
    return None


def responsibility_shown(c: Control, words: Callable[[str], str], unstated: str = " (assumed: not stated)") -> str:
    """Who runs a control as a table shows it: as its text reads (:func:`read_responsibility`: 'Hospital (its text
    says "the hospital's firewall blocks")'), else its responsibility in *words*, marked *unstated* where no source
    names anyone."""
    read = read_responsibility(c)
    if read is not None:
        return f'{words(read[0])} (its text says "{read[1]}")'
    return words(c.responsibility) + ("" if c.responsibility_stated else unstated)


# A sentence that points elsewhere rather than says what is done: "See the hardening guide", "For more information,
# refer to RFC 8446", "… refer to these two whitepapers"; and a line that only opens a reference list.
_CITES = re.compile(
    r"^\W*(?:for\s+(?:more|further|additional)\s+(?:information|details|reading|background)\b[^.;]*?[,:]?\s*)?(?:please\s+)?"
    r"(?:see|refer\s+to|consult|cf\.?)(?![\w'])"
    r"|\b(?:refer\s+to|see|read|consult)\s+(?:these|the\s+following|this|those|the\s+two|two|the)\s+(?:\w+\s+)?(?:whitepapers?|white\s+papers?|"
    r"papers?|articles?|references?|resources?|links?|publications?)\b"
    r"|^\W*(?:references?|further\s+reading|see\s+also|bibliography|sources?|links?)\W*$",
    re.I,
)
_MAY_CITE = re.compile(r"\b(?:see|refer|consult|cf|references?|reading|bibliography|sources?|links?)\b", re.I)
_LIST_LINE = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def without_citations(text: str) -> str:
    """*text* without what only cites other documents: a sentence that points elsewhere ("See the hardening
    guide", "For more information, refer to …"), and the list right after a line that ends in such a pointer
    ("… refer to these two whitepapers" over "- Understanding and Hardening Linux Containers"). A title
    cited is no statement of what the control does: its words ("hardening") are no evidence."""
    if not _MAY_CITE.search(text):
        return text
    out: list[str] = []
    in_list = False
    for line in text.split("\n"):
        if in_list and (_LIST_LINE.match(line) or not line.strip()):
            continue  # an entry of the reference list, or the blank line between two
        in_list = False
        kept = [x for x in _SENTENCE_END.split(line) if not _CITES.search(x)]
        if line.strip() and (not kept or _CITES.search(_SENTENCE_END.split(line.strip())[-1])):
            in_list = True  # the line ends by pointing elsewhere: a list under it is the references
        out.append(" ".join(kept))
    return "\n".join(out)


@lru_cache(maxsize=_TEXT_CACHE)
def void_reason(title: str, description: str) -> str | None:
    """Why a control counts for no clause, or None: ``"question"`` (it only asks), ``"acceptance"`` (it argues
    that a risk is acceptable: :func:`accepts_risk`), ``"void"`` (:func:`void_control`), ``"denied"`` (its
    description denies or defers its title: :func:`denies_title`), ``"placeholder"`` (its description is
    only "TBD" or the like) or ``"citation"`` (it only points elsewhere: "See vendor documentation"). The one
    definition the mapping and the review both read."""
    if only_questions(description) or (not description.strip() and only_questions(title)):
        return "question"
    if accepts_risk(description) or (not description.strip() and accepts_risk(title)):
        return "acceptance"  # "We acknowledge that … but we note that …": why the risk is acceptable, no safeguard
    if void_control(title, description):
        return "void"
    # a control with no description is read on its title ("Secure boot (roadmap)", "MFA planned Q3 2027")
    if denies_title(title, description) or deferred(description if description.strip() else title) or denies_measure(description or title):
        return "denied"
    if description.strip() and is_placeholder(description):
        return "placeholder"
    said = description if description.strip() else title
    if said.strip() and not _canon(without_citations(said)):
        return "citation"  # "See vendor documentation": it points elsewhere and says nothing of what is done
    return None


def deferred(text: str) -> bool:
    """A text that only defers what it speaks of ("Will be implemented in the next release", "Currently under
    evaluation", "Planned for release 3.0"): it states nothing, and one of the vocabulary's ``deferrals``
    says so. "Signed updates; encryption at rest is planned for release 3" states the signed updates."""
    rx = evidence_words().deferral
    return rx is not None and bool(text.strip()) and bool(rx.search(text)) and not stated(text)


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_PARENS = re.compile(r"\([^()]*\)")


def only_questions(text: str) -> bool:
    """A text whose every sentence is a question or a placeholder ("Is the database encrypted?", "TLS 1.2 or
    1.3? TBD"): it asks, it does not state. A question in parentheses ("against tampering (TPM?)") leaves the statement standing."""
    # a question in quotes is still one: 'The customer asked: "Does the device keep an audit log?"'
    sentences = [x.strip().rstrip("\"'”’»") for x in _SENTENCE.split(_PARENS.sub(" ", text))]
    asked = [x for x in sentences if _canon(x) and x.endswith("?")]
    return bool(asked) and all(x.endswith("?") or is_placeholder(x) for x in sentences if _canon(x))


def void_control(title: str, description: str) -> bool:
    """A control that describes no safeguard: all its title and description say is denied or a placeholder
    ("Known gap: there is no factory reset; no secure boot"), or its description denies its title ("Secure
    boot" / "Not implemented in this release"). It is not evidence of anything."""
    strong = evidence_words().strong
    # a title written as a prohibition ("Ensure buckets are not world readable", "No default passwords") is a
    # safeguard; one that only defers or withdraws ("TBD", "Secure boot: not supported") says nothing
    title_void = is_placeholder(title) or (not stated(title) and (denied(title) or (strong is not None and bool(strong.search(title)))))
    if (title_void and not stated(description)) or denied(description):
        return True
    # a description of several statements that all deny ("Factory reset: not supported. Secure boot: TBD.")
    # with at least one word that only ever denies ("cannot", "not supported", "missing", "TBD"): a plain
    # "no" or "without" also writes safeguards ("No remote access. No USB.")
    said = [c for _, c in _clauses(description) if _canon(c)]
    return (
        len(said) >= 2
        and not is_placeholder(description)
        and not stated(description)
        and strong is not None
        and any(strong.search(c) for c in said)
    )


def accepts_risk(text: str) -> str | None:
    """The words that make a mitigation text argue that a risk is acceptable rather than say what is done about
    it ("We acknowledge that …, but we note that …", "Risk accepted: …", "The residual risk is considered
    acceptable"), read on its first sentence; or None (``risk_acceptance_patterns`` in evidence.yaml). Such a text
    is the reasoning of a risk acceptance, not a control."""
    rx = _patterns("risk_acceptance_patterns")
    if rx is None or not text.strip():
        return None
    first = _SENTENCE.split(text.strip().lstrip("-*• "), maxsplit=1)[0]
    found = rx.search(first)
    return " ".join(found.group(0).split()) if found else None


@cache
def _sbom_patterns() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The promise and on-request patterns of ``sbom`` in evidence.yaml, each joined into one."""
    words = shipped("evidence", EvidenceTerms).sbom
    return tuple(re.compile("|".join(f"(?:{p})" for p in ps), re.I) if ps else None for ps in (words.promises, words.on_request))  # type: ignore[return-value]


def sbom_shortfall(text: str, *, support: bool = False) -> str | None:
    """Why an SBOM field does not show an SBOM in hand (CRA Annex I Part II (1), FDA premarket V.A.4), in words for a
    rationale, or None: it is only promised ("An SBOM will be provided"), only given on request ("available on
    request"), names no machine-readable format ("Component list in Appendix B (PDF)"), or, with *support*, says
    nothing of each component's support level or end of support. A stated CycloneDX or SPDX file stands."""
    words = shipped("evidence", EvidenceTerms).sbom
    promise, on_request = _sbom_patterns()
    clean = _straight(text)
    if promise is not None and (m := promise.search(clean)) is not None:
        return f'it is only promised ("{" ".join(m.group(0).split())}"), not in hand'
    if on_request is not None and (m := on_request.search(clean)) is not None:
        return f'it is given only on request ("{" ".join(m.group(0).split())}"), not with the documentation'
    if not affirmed(text, words.formats):
        return "it names no machine-readable format (CycloneDX, SPDX)"
    if support and not affirmed(text, words.support):
        return "it says nothing of each component's support level or end of support"
    return None


def sbom_access(text: str) -> tuple[str, str] | None:
    """Whether an SBOM field says where users can access the SBOM (CRA Annex II (9)), or ("partial" | "unmet", why):
    an SBOM only promised is not yet anywhere ("partial"); one given only on request is accessed nowhere but by
    asking, so it answers in part where the field names whom to ask ("on request from psirt@maker.example") and not
    at all where it names no one ("available on request")."""
    promise, on_request = _sbom_patterns()
    clean = _straight(text)
    if promise is not None and (m := promise.search(clean)) is not None:
        return "partial", f'it is only promised ("{" ".join(m.group(0).split())}"), so it says nowhere users can access it yet'
    if on_request is None or (m := on_request.search(clean)) is None:
        return None
    said = " ".join(m.group(0).split())
    contacts = shipped("evidence", EvidenceTerms).sbom.request_contacts
    named = sorted((c.start(), -len(c.group(0)), c.group(0)) for p in contacts if (c := re.search(p, clean, re.I)) is not None)
    whom = named[0][2] if named else None  # the first named, whole, as written
    if whom is None:
        return "unmet", f'it is given only on request ("{said}") and names no one to ask, so it says nowhere users can access it'
    return "partial", f'it is given only on request ("{said}"), from {" ".join(whom.split())}: a place to ask, not to access it'


@cache
def _withheld(path: str) -> re.Pattern[str] | None:
    patterns = shipped("evidence", EvidenceTerms).support_withheld.get(path, [])
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def support_withheld(path: str, text: str) -> str | None:
    """The words of a support field (*path*) that give the maker's practice to no one or commit to nothing ("Contact
    sales", "Under NDA only" as vulnerability disclosure; "Best effort", "at the manufacturer's discretion" as patch
    policy), as written, or None (``support_withheld`` in evidence.yaml). Such a value states no practice a clause can
    rest on."""
    rx = _withheld(path)
    m = rx.search(_straight(text)) if rx is not None else None
    return " ".join(m.group(0).split()).strip(" .") if m is not None else None


def advisories(text: str) -> tuple[str, str]:
    """Whether a support field says the maker publishes advisories to users (CRA Annex I Part II (8)): "met" with
    the words (``advisories``, undenied); "partial" for text that gives a web address (a page that may hold them:
    confirm); "unmet" for anything else, an address to report to included ("security@maker.example" is where
    reports go, not advice published to users)."""
    found = affirmed(text, shipped("evidence", EvidenceTerms).advisories)
    if found:
        return "met", f"mentions {', '.join(repr(w) for w in found[:2])}"
    if re.search(r"\bhttps?://\S+|\bwww\.\S+", text):
        return "partial", "gives a web address, which may publish advisories: confirm"
    if re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text):
        return "unmet", "gives an address to report to, not advisories published to users"
    return "unmet", "says nothing of advisories published to users"


def prompt_remediation(text: str) -> list[str]:
    """What in *text* says vulnerabilities are remediated without delay: its words (``without_delay``, undenied), or a
    deadline of at most ``without_delay_days`` ("30 days for critical ones"). A schedule alone ("within 90 days, in the
    quarterly release") is a timeline, not remediation without delay: empty."""
    terms = shipped("evidence", EvidenceTerms)
    found = affirmed(text, terms.without_delay)
    return found or [said for days, said in durations(text) if days <= terms.without_delay_days][:1]
