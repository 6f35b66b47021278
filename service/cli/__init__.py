"""The `factgraph` command line: one app, one small module per command."""
