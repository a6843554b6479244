"""Tests of ``mdptm.mapping.engine``."""
