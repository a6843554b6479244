"""Checks on a model before it is published; each check is a plug-in behind the ``mdptm.checks`` door."""
