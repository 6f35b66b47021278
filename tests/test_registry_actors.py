"""service.rdf.registry: the default registry (generated, no article's cast) and a user's own
file (the seeds'), as records for the extractor and as RDF."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from service.bootstrap import configured
from service.pipeline.records import ActorType, actor_key
from service.pipeline.validate import Validator
from service.rdf.registry import load_actors, registry_graph
from service.rdf.vocab import OWL, RDF, SDO, SKOS, WD
from service.settings import PROJECT_ROOT

settings = configured()

REGISTRY = PROJECT_ROOT / "ontology" / "actors.ttl"
SEED_ACTORS_FILE = PROJECT_ROOT / "seeds" / "actors.ttl"  # what `make run` loads for the seeds
BOTH = (REGISTRY, SEED_ACTORS_FILE)
BASE = "https://factgraph.example.org/"

SEED_ACTORS = {
    "Islamic Resistance in Iraq": ActorType.ORGANIZATION,
    "Islamic State": ActorType.ORGANIZATION,
    "United States": ActorType.PLACE,
    "Iraq": ActorType.PLACE,
    "Syria": ActorType.PLACE,
    "Israel": ActorType.PLACE,
    "Lloyd Austin": ActorType.PERSON,
    "Mohammed Shia al-Sudani": ActorType.PERSON,
    "Joe Biden": ActorType.PERSON,
    "White House": ActorType.ORGANIZATION,
    "Reuters": ActorType.ORGANIZATION,
    "Politico": ActorType.ORGANIZATION,
    "Press TV": ActorType.ORGANIZATION,
    "eurasia.ro": ActorType.ORGANIZATION,
    "World Economic Forum": ActorType.ORGANIZATION,
    "Davos": ActorType.PLACE,
    "Middle East": ActorType.PLACE,
    "Hamas": ActorType.ORGANIZATION,
}
CERTAIN_WIKIDATA = {
    "United States": "Q30",
    "Iraq": "Q796",
    "Syria": "Q858",
    "Israel": "Q801",
    "Joe Biden": "Q6279",
}


@pytest.fixture(scope="module")
def actors_by_name() -> dict:
    return {actor.name: actor for actor in load_actors(BOTH)}


@pytest.mark.parametrize("path", BOTH, ids=["default", "seeds"])
def test_registry_iri_last_segment_is_actor_key_of_name(path: Path) -> None:
    graph = Graph().parse(path, format="turtle", publicID=f"{BASE}id/actor/")
    names = list(graph.subject_objects(SDO.name))
    assert names
    for node, name in names:
        assert str(node).startswith(f"{BASE}id/actor/"), node
        assert str(node).rsplit("/", 1)[-1] == actor_key(str(name)), node


def test_registry_has_every_seed_actor_with_its_type(actors_by_name: dict) -> None:
    for name, kind in SEED_ACTORS.items():
        assert name in actors_by_name, name
        assert actors_by_name[name].type is kind, name
    assert any("Gaza" in {a.name, *a.aliases} for a in actors_by_name.values())
    assert any("Dayr al-Zawr" in a.aliases for a in actors_by_name.values())
    assert any("Pentagon" in {a.name, *a.aliases} for a in actors_by_name.values())


def test_registry_lists_the_surface_forms_news_use(actors_by_name: dict) -> None:
    iri = actors_by_name["Islamic Resistance in Iraq"].aliases
    for alias in (
        "IRI",
        "Islamic Resistance of Iraq",
        "Iraqi resistance",
        "Iraqi resistance forces",
        "Iraq's anti-terror resistance groups",
        "Iraq’s anti-terror resistance groups",
    ):
        assert alias in iri, alias
    assert {"ISIS", "ISIL", "Daesh"} <= set(actors_by_name["Islamic State"].aliases)
    assert {"US", "U.S.", "Washington", "America"} <= set(actors_by_name["United States"].aliases)
    sudani = actors_by_name["Mohammed Shia al-Sudani"].aliases
    assert "Mohammad Shi'a al-Sudani" in sudani
    assert "al-Sudani" in sudani
    assert "Biden" in actors_by_name["Joe Biden"].aliases


@pytest.mark.parametrize("paths", [(REGISTRY,), BOTH], ids=["default", "with-seeds"])
def test_registry_alias_names_one_actor_only(paths: tuple[Path, ...]) -> None:
    """The entity ruler links an alias to one actor: two owners would make linking a guess."""
    owners: Counter[str] = Counter()
    for actor in load_actors(paths):
        owners.update({label.casefold() for label in (actor.name, *actor.aliases)})
    assert [label for label, count in owners.items() if count > 1] == []


def test_registry_wikidata_links_where_certain(actors_by_name: dict) -> None:
    for name, qid in CERTAIN_WIKIDATA.items():
        assert actors_by_name[name].wikidata == qid, name


def test_registry_records_are_sorted_and_keyed_by_iri(actors_by_name: dict) -> None:
    actors = load_actors(BOTH)
    assert [a.key for a in actors] == sorted(a.key for a in actors)
    assert actors_by_name["Islamic Resistance in Iraq"].key == "islamic-resistance-in-iraq"
    assert all(isinstance(a.aliases, tuple) for a in actors)


def test_registry_graph_mints_actor_iris_under_the_base(actors_by_name: dict) -> None:
    graph = registry_graph(BASE, BOTH)
    iraq = URIRef(f"{BASE}id/actor/iraq")
    assert (iraq, RDF.type, SDO.Place) in graph
    assert (iraq, OWL.sameAs, WD.Q796) in graph
    assert (iraq, SDO.name, None) in graph
    biden = URIRef(f"{BASE}id/actor/joe-biden")
    assert any(str(label) == "Biden" for label in graph.objects(biden, SKOS.altLabel))
    subjects = set(graph.subjects(SDO.name, None))
    assert len(subjects) == len(actors_by_name)
    assert all(str(s).startswith(f"{BASE}id/actor/") for s in subjects)


def test_registry_default_holds_no_articles_cast() -> None:
    default = {a.name: a for a in load_actors(REGISTRY)}
    for name in ("Press TV", "eurasia.ro", "Davos", "Deir ez-Zor", "Islamic Resistance in Iraq",
                 "Mohammed Shia al-Sudani", "Lloyd Austin", "World Economic Forum"):
        assert name not in default, name
    aliases = {alias for actor in default.values() for alias in actor.aliases}
    assert "IRI" not in aliases  # the Islamic Republic of Iran as often as anything else
    assert not any("resistance" in alias.lower() for alias in aliases)


def test_registry_default_has_countries_with_demonyms_and_international_bodies() -> None:
    default = {a.name: a for a in load_actors(REGISTRY)}
    assert len(default) > 200
    assert default["France"].demonyms == ("French",)
    assert "Paris" in default["France"].aliases  # a capital as its government
    assert default["United States"].wikidata == "Q30"
    assert default["United Nations"].type is ActorType.ORGANIZATION
    assert "ECB" in default["European Central Bank"].aliases
    assert default["Agence France-Presse"].wikidata == "Q40464"
    assert "Georgia" not in default  # as often the US state: a name that needs context


def test_registry_default_is_the_scripts_output() -> None:
    """ontology/actors.ttl is generated: edit scripts/registry/, then regenerate it."""
    pytest.importorskip("countryinfo")
    from countryinfo import CountryInfo

    from scripts.registry.build_actors import CURATED, build

    curated = json.loads(CURATED.read_text(encoding="utf-8"))
    assert build(CountryInfo("iraq").all(), curated) == REGISTRY.read_text(encoding="utf-8")


def test_registry_users_file_wins_over_the_default(tmp_path: Path) -> None:
    path = tmp_path / "mine.ttl"
    path.write_text(
        "PREFIX schema: <http://schema.org/>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        '<washington-state> a schema:Place ; schema:name "Washington State" ;\n'
        '    skos:altLabel "Washington" .\n'
        '<france> a schema:Place ; schema:name "France" ; skos:altLabel "the Republic" .\n',
        encoding="utf-8",
    )
    actors = {a.key: a for a in load_actors((REGISTRY, path))}
    assert "Washington" not in actors["united-states"].aliases
    assert "Washington" in actors["washington-state"].aliases
    assert actors["france"].aliases == ("the Republic",)


def test_registry_missing_file_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such actor registry file"):
        load_actors(tmp_path / "absent.ttl")


def test_registry_actor_with_two_types_raises_value_error(tmp_path: Path) -> None:
    path = tmp_path / "actors.ttl"
    path.write_text(
        "PREFIX schema: <http://schema.org/>\n"
        '<iraq> a schema:Place , schema:Organization ; schema:name "Iraq" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="'iraq' must have exactly one actor type"):
        load_actors(path)


def test_registry_refuses_a_nameless_group_as_a_shared_actor(tmp_path: Path) -> None:
    """"US officials" of one article are not those of another: groups are minted per document."""
    path = tmp_path / "actors.ttl"
    path.write_text(
        "PREFIX schema: <http://schema.org/>\nPREFIX fg: <https://w3id.org/factgraph/ns#>\n"
        '<us-officials> a fg:Group ; schema:name "US officials" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="'us-officials' is an fg:Group"):
        load_actors(path)


def test_registry_demonyms_are_read_apart_from_aliases(actors_by_name: dict) -> None:
    iraq = actors_by_name["Iraq"]
    assert "Iraqi" in iraq.demonyms
    assert "Iraqi" not in iraq.aliases


def test_registry_unparseable_file_raises_value_error(tmp_path: Path) -> None:
    path = tmp_path / "actors.ttl"
    path.write_text("<iraq> a schema:Place", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid Turtle"):
        load_actors(path)


def test_registry_graph_conforms_to_the_actor_shapes() -> None:
    validator = Validator(settings.shapes_dir, settings.ontology_dir)
    report = validator.validate(registry_graph(BASE, REGISTRY))
    assert report.conforms, report.text
