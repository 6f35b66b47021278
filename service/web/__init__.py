"""The web UI's parts that are not routes: its SPARQL, its views, the text highlighter."""

__all__: list[str] = []
