"""The stages in order: read the project, import, map, redact, review, publish, export; one project or many."""
