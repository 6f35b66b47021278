# A named graph replaced in one transaction; CREATE keeps it existing when the data is empty.
DROP SILENT GRAPH $graph ;
CREATE SILENT GRAPH $graph ;
INSERT DATA { GRAPH $graph {
$data} }
