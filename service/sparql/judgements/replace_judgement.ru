# A reviewer's judgement stored, replacing the one the same reviewer made of the same thing,
# in one request (one transaction). Slots: $graph (the judgements graph), $judgement, $data
# (the judgement's triples, its reviewer's, and for a review link the link itself).
PREFIX fg: <https://w3id.org/factgraph/ns#>

DELETE WHERE { GRAPH $graph { $judgement ?p ?o } } ;
INSERT DATA { GRAPH $graph {
$data} }
