# Triples without blank nodes into a named graph (one operation of a request).
INSERT DATA { GRAPH $graph {
$data} }
