"""Tests of ``mdptm.formats``."""
