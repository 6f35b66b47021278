"""The write path, in the order data flows: documents -> extract -> graph -> validate -> ingest.

`documents` checks what users send, `extract` (spaCy components) turns text into the plain
records of `records`, `graph` turns records into one RDF graph per document, `validate` checks
it against the SHACL shapes, and `ingest` runs the whole flow into a store.
"""
