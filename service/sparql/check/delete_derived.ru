# Derived nodes out of step with the documents removed from the analysis graph, in one
# request. Slots: $analysis, $node (a comparison or a comparison run).
DELETE WHERE { GRAPH $analysis { $node ?p ?o } }
