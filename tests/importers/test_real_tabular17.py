"""Layouts of real registers written by other people (tests/data/registers-real/SOURCES.md, "Round 17 (tabular)"),
each as a short paraphrased excerpt in the same shape, read as CSV and as a workbook laid out as people keep one (a
merged title row, a two-row header, a notes row below the table)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.test_real_tabular14 import _both

# -- an EHR module's STRIDE register in Dutch, exported from its Markdown table: "Kans (1-5)" is the likelihood,
# "Prioriteit" the stated level as a colour ("🔴 Rood", "🟠 Oranje", "🟢 Groen"), "Actor" who carries it out

_DUTCH = (
    "ID,Dreiging,STRIDE,Actor,Kans (1-5),Impact (1-5),Score,Prioriteit\n"
    "T-01,Zoekendpoint geeft instellingen met geheimen zonder login,Information Disclosure,Crimineel,5,5,25,🔴 Rood\n"
    "T-02,Basic-auth zonder tweede factor,Spoofing,Crimineel,4,3,12,🟠 Oranje\n"
    "T-03,Onbegrensde uploads,Denial of Service,Script kiddie,2,3,6,🟢 Groen\n"
    "T-04,Geen audit-trail van inzage in dossiers,Repudiation,Insider,3,2,6,🟢 Groen\n"
)


def test_dutch_register_headers_likelihood_and_colour_levels(tmp_path: Path) -> None:
    group = ("Risicobeoordeling", ["Kans (1-5)", "Impact (1-5)", "Score"])
    for model, _report in _both(tmp_path, _DUTCH, "dreigingen", group):
        got = [(t.id, t.risk.likelihood, t.risk.severity, t.risk.level) for t in model.threats if t.risk is not None]
        # before: 'Kans (1-5)' kept in extra (no likelihood), the stated 'Prioriteit' unread and the level worked out
        # from the score (T-01 critical where the register says red, its top band)
        assert got == [
            ("T-01", "5", "5", "high"),
            ("T-02", "4", "3", "medium"),
            ("T-03", "2", "3", "low"),
            ("T-04", "3", "2", "low"),
        ]
        assert [t.extra.get("Actor") for t in model.threats] == ["Crimineel", "Crimineel", "Script kiddie", "Insider"]
        assert model.threats[0].title == "Zoekendpoint geeft instellingen met geheimen zonder login"


# -- an EHR module's hazard analysis in Dutch whose hazards are security threats, as one sheet: "Toelichting" explains
# each, "Kleur" gives its level as a colour (score 12 is "Oranje" there, where a 5 x 5 product would read high)

_HAZARDS = (
    "Hazard ID,Hazard,STRIDE,Toelichting,Kans (1-5),Impact (1-5),Score,Kleur\n"
    'H1,Toegang via een overgenomen account,"S, I",Gestolen wachtwoorden geven toegang tot alle observaties,3,5,15,Rood\n'
    'H4,Credential stuffing met gelekte wachtwoorden,"S, I",Medewerkers hergebruiken wachtwoorden,3,4,12,Oranje\n'
    'H6,Loginjectie via invoer,"T, R",Gemanipuleerde invoer verstoort de audit trail,2,3,6,Oranje\n'
)


def test_dutch_hazards_explained_and_levelled_by_colour(tmp_path: Path) -> None:
    for model, _report in _both(tmp_path, _HAZARDS, "hazards"):
        # before: 'Toelichting' kept in extra (no description) and 'Kleur' unread: H4 rated high from its score 12
        assert [t.description for t in model.threats][0] == "Gestolen wachtwoorden geven toegang tot alle observaties"
        assert [t.risk.level for t in model.threats if t.risk is not None] == ["high", "medium", "medium"]
        assert model.threats[0].stride == ["spoofing", "information_disclosure"]
