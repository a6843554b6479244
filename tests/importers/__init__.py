"""Tests of ``mdptm.importers``."""
