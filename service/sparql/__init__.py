"""SPARQL as text: the queries the service runs (`.rq` files) and what it reads in a client's."""
