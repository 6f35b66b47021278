# Triples with blank nodes into a named graph: INSERT ... WHERE {}, as Virtuoso refuses blank
# nodes in INSERT DATA; all in one operation, since a label names one node only within it.
INSERT { GRAPH $graph {
$data} } WHERE {}
