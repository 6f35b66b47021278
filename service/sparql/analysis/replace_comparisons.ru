# One document's comparisons and comparison run replaced, in one request (one transaction).
# Slots: $analysis (the analysis graph), $document, $run, $data (the new triples).
PREFIX fg: <https://w3id.org/factgraph/ns#>

DELETE { GRAPH $analysis { ?comparison ?p ?o } }
WHERE { GRAPH $analysis { ?comparison fg:comparedDocument $document ; ?p ?o } } ;
DELETE WHERE { GRAPH $analysis { $run ?p ?o } } ;
INSERT DATA { GRAPH $analysis {
$data} }
