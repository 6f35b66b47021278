"""The RDF language every layer speaks: the vocabulary, the IRIs minted, the actor registry.

A leaf of the import graph: it imports nothing from the rest of the service but the records,
so the write path and the read path can both use it without knowing each other.
"""
