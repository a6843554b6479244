"""Small projects with withheld threats and redaction terms, built end to end, and a reader of every byte
of the package (zips opened, escapes and disguises undone by the leak scan's own normaliser)."""

from __future__ import annotations

from pathlib import Path

import yaml

SECRET_DESCRIPTION = "The Zephyrine backdoor on port 31337 accepts unsigned orders."
TERM = "Nightjar"

MODEL: dict[str, object] = {
    "schema": "mdptm/1",
    "product": {
        "name": "Acme Pump",
        "manufacturer": "Acme Medical",
        "model": "AP-1",
        "version": "1.0",
        "intended_use": "Infusion of fluids.",
    },
    "document": {"title": "Acme Pump threat model", "version": "1.0", "date": "2026-03-01", "status": "approved"},
    "trust_zones": [{"id": "TZ1", "name": "Clinical network"}],
    "elements": [
        {"id": "E1", "name": "Infusion pump", "kind": "device", "trust_zone": "TZ1"},
        {"id": "E2", "name": "Drug library server", "kind": "software", "trust_zone": "TZ1"},
    ],
    "flows": [{"id": "F1", "name": "Library download", "source": "E2", "target": "E1", "protocol": "HTTPS", "port": "443"}],
    "threats": [
        {
            "id": "T1",
            "title": "Tampered drug library",
            "stride": ["tampering"],
            "targets": ["F1", "E1"],
            "controls": ["C1"],
            "status": "mitigated",
        },
        {
            "id": "T-99",
            "title": "Zephyrine backdoor",
            "stride": ["elevation_of_privilege"],
            "targets": ["E1"],
            "controls": ["C1"],
            "status": "mitigated",
            "sensitivity": "confidential",
            "description": SECRET_DESCRIPTION,
        },
    ],
    "controls": [
        {
            "id": "C1",
            "title": "Signed libraries",
            "category": "authentication",
            "description": "Libraries are signed and verified.",
            "status": "implemented",
            "verification": ["Test report VT-1"],
        }
    ],
}


def project(folder: Path, *, model: dict[str, object] | None = None, policy: dict[str, object] | None = None, **extra: object) -> Path:
    """A project folder: ``model.yaml`` (native source), ``redaction.yaml`` and ``mdptm.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.yaml").write_text(yaml.safe_dump(model or MODEL, sort_keys=False), encoding="utf-8")
    pol = {"drop": ["confidential"], "terms": [TERM]} if policy is None else policy
    (folder / "redaction.yaml").write_text(yaml.safe_dump(pol, sort_keys=False), encoding="utf-8")
    cfg = {"sources": ["model.yaml"], "redaction": "redaction.yaml", **extra}
    (folder / "mdptm.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return folder


def package_views(out: Path) -> list[tuple[str, str]]:
    """(where, text) of every file and zip member of *out*, in the leak scan's own views (entities,
    markup, JSON and percent escapes undone), each normalised like a needle."""
    import zipfile

    from mdptm.redaction.leakscan import _views, needle_key

    found: list[tuple[str, str]] = []

    def add(data: bytes, where: str, name: str, depth: int = 0) -> None:
        found.extend((where, needle_key(v)) for v in _views(data, name))
        if data[:4] == b"PK\x03\x04" and depth < 3:
            import io

            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    add(zf.read(info), f"{where}!{info.filename}", info.filename, depth + 1)

    for path in sorted(out.rglob("*")):
        if path.is_file():
            add(path.read_bytes(), path.relative_to(out).as_posix(), path.name)
    return found


def where_found(out: Path, needle: str) -> list[str]:
    from mdptm.redaction.leakscan import needle_key

    key = needle_key(needle)
    return sorted({where for where, text in package_views(out) if key in text})
