"""Tests of ``mdptm.redaction``."""
