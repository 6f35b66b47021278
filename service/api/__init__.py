"""The HTTP service: SPARQL 1.1 Protocol, documents, export, health (FastAPI).

`service.api.app.create_app` is the composition root; each resource has its own router.
"""

__all__: list[str] = []
