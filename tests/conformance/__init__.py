"""The W3C SPARQL 1.1 manifests (copied unchanged) and the code that reads and runs them."""
