"""Built-in importers; each registers through the ``mdptm.importers`` entry-point group."""
