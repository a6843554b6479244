"""The document IR and its renderings (Word, Markdown), with the diagrams and charts they carry."""
