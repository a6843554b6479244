"""Reading threat models kept as tables (Word, Excel, CSV): find the tables, read the rows, resolve names."""
