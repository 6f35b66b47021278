# Triples merged into the default graph.
INSERT DATA {
$data}
