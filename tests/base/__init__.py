"""Tests of ``mdptm.base``."""
