"""Built-in exporters; each registers through the ``mdptm.exporters`` entry-point group."""
