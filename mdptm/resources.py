"""Locating shipped data: ``mappings/`` and ``templates/``.

In a wheel they sit inside the package (``mdptm/mappings``); in a source checkout or editable
install they sit at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PKG / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped data folder {name!r} is missing from the installation")


def mappings_dir() -> Path:
    return data_dir("mappings")


def templates_dir() -> Path:
    return data_dir("templates")
