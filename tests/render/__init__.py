"""Tests of ``mdptm.render``."""
