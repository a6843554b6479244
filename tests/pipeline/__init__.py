"""Tests of ``mdptm.pipeline``."""
