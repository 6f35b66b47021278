# The default graph replaced in one transaction.
CLEAR SILENT DEFAULT ;
INSERT DATA {
$data}
