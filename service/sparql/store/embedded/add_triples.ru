# Triples merged into a named graph, created (even when no triple comes) in one transaction.
CREATE SILENT GRAPH $graph ;
INSERT DATA { GRAPH $graph {
$data} }
