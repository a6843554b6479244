"""What importers and exporters of one interchange format share, so neither imports the other."""
