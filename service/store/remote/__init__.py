"""The store over any SPARQL 1.1 server (Protocol + Graph Store Protocol); `store.py` says
which module of this package does what."""

from service.store.remote.location import SCHEMES, RemoteLocation, parse_location
from service.store.remote.store import RemoteSparqlStore

__all__ = ["SCHEMES", "RemoteLocation", "RemoteSparqlStore", "parse_location"]
