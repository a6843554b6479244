"""Tests of ``mdptm.documents``."""
