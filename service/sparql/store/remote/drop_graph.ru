# A named graph removed; nothing happens when it has no triples.
DROP SILENT GRAPH $graph
