"""Tests of ``mdptm.review.engine``."""
