# A document gone: its graph, every comparison touching it and its comparison run, in one
# request. Slots: $analysis, $document, $run.
PREFIX fg: <https://w3id.org/factgraph/ns#>

DROP SILENT GRAPH $document ;
DELETE { GRAPH $analysis { ?comparison ?p ?o } }
WHERE { GRAPH $analysis { ?comparison fg:comparedDocument $document ; ?p ?o } } ;
DELETE WHERE { GRAPH $analysis { $run ?p ?o } }
