"""Tests of ``mdptm.exporters``."""
