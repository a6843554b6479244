"""Tests of ``mdptm.model``."""
