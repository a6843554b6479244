"""Grids of cells → tables → row records, whatever the layout (SPEC §3).

Word tables, Excel sheets and CSV files all arrive as a :class:`Grid` of cell texts with what the reader knows
about it. The work is split by step, and this module names them all for the readers that import from here:
``grid`` holds the shared shapes (grid, block, row record and note), ``profile`` the ``--profile`` mappings,
``headers`` recognises header rows and maps columns to fields, ``finder`` (:class:`TableFinder`) finds the
tables of a grid, ``rows`` reads their rows into records and notes, and ``stride`` reads STRIDE category names.
"""

from __future__ import annotations

from mdptm.importers.tabular.finder import TableFinder
from mdptm.importers.tabular.grid import Block, Classified, Column, Grid, RowNote, RowRecord, col_letter
from mdptm.importers.tabular.headers import classify
from mdptm.importers.tabular.profile import Profile, TableProfile, load_profile, profile_vocabulary
from mdptm.importers.tabular.rows import block_records, other_row
from mdptm.importers.tabular.stride import stride_default

__all__ = [
    "Block",
    "Classified",
    "Column",
    "Grid",
    "Profile",
    "RowNote",
    "RowRecord",
    "TableFinder",
    "TableProfile",
    "block_records",
    "classify",
    "col_letter",
    "load_profile",
    "other_row",
    "profile_vocabulary",
    "stride_default",
]
