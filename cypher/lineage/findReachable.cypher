// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds. A decision
// has no other lineage relationship, so every walk is: flow relationships against (downstream) or
// along (upstream) their stored direction, and at most one INFORMS hop at the decision end. Each
// hop's direction and type are part of the pattern, so the shortest-path search prunes by them;
// it never revisits a record, so cycles end. The catalog writes $maxDepth into the flow quantifier
// and $flowTypes into the flow pattern (Cypher takes no parameter there), so the search stops at the
// depth asked and reads only those relationships, not the ended WAS copies beside them; `length(p) <=
// $maxDepth` still bounds the whole path, the INFORMS hop included.
// Everything that depends on the root ($downstream: its blast radius) or that it depends on, in
// one order (nearest first, then by name and id), cut at $limit records ($limit + 1 found says the
// answer is truncated). Only what the caller selected is shipped (src/lineage/reachShape.ts):
// - the count per type of the whole answer, always;
// - each record as a list built once, where it is found: its distance, how it is reached (per
//   $paths), then the values of $record.fields in that order (`id` and `type` first), or its
//   property map when $record.all: no key strings per record. Every record ($whole) is shipped as
//   built, its position in the answer being its index; otherwise only the records of $windows,
//   each the `first` records of one type (any when null) after position `after`, with their
//   position in front;
// - $paths 'PARENT' (every record shipped): the previous record on its shortest path and the
//   step's type. That record is nearer, so it is shipped too, and its own shortest path plus the
//   step is a shortest path of the same length: the API rebuilds paths by following parents.
//   'PATH' (windows): the ids of the path's inner records and each step's type, with the inner
//   records not shipped otherwise once each (pathRecords). Each step's direction follows from its
//   type and the walk (the rule above);
// - owners and vendors of the root and of every record in the answer, once each, only when
//   selected ($owners, $vendors: null or as $record); the record itself then ends its list until
//   they are found, and is cut off before the list is shipped.
// The root comes by id or by key; the other parameter is null.
MATCH (root:Entity)
WHERE root.id = $id OR root.key = $key
WITH root,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[flow:$flowTypes]-()){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (reached:Entity)
    WHERE $downstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, p ORDER BY length(p), reached.name, reached.id
    LIMIT $limit + 1
    RETURN [length(p)]
      + (CASE $paths WHEN 'PARENT' THEN [nodes(p)[-2].id, type(last(relationships(p)))] WHEN 'PATH' THEN [p] ELSE [] END)
      + (CASE WHEN $record.all THEN [properties(reached)] ELSE [f IN $record.fields | reached[f]] END)
      + (CASE WHEN $owners IS NULL AND $vendors IS NULL THEN [] ELSE [reached] END)
  } + COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS]-() WHERE $followInforms){0,1}
    (()-[flow:$flowTypes]->()){0,$maxDepth}
    (reached:Entity)
    WHERE NOT $downstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, p ORDER BY length(p), reached.name, reached.id
    LIMIT $limit + 1
    RETURN [length(p)]
      + (CASE $paths WHEN 'PARENT' THEN [nodes(p)[-2].id, type(last(relationships(p)))] WHEN 'PATH' THEN [p] ELSE [] END)
      + (CASE WHEN $record.all THEN [properties(reached)] ELSE [f IN $record.fields | reached[f]] END)
      + (CASE WHEN $owners IS NULL AND $vendors IS NULL THEN [] ELSE [reached] END)
  } AS found
WITH root, found[..$limit] AS kept, size(found) > $limit AS truncated,
  CASE $paths WHEN 'NONE' THEN 1 WHEN 'PARENT' THEN 3 ELSE 2 END AS valuesAt,
  $owners IS NOT NULL OR $vendors IS NOT NULL AS withNodes
WITH root, kept, truncated, valuesAt, withNodes,
  valuesAt + CASE WHEN $record.all THEN 1 ELSE size($record.fields) END AS width,
  CASE WHEN $record.all THEN [row IN kept | row[valuesAt].type] ELSE [row IN kept | row[valuesAt + 1]] END AS types
WITH root, kept, truncated, valuesAt, withNodes, width, types,
  CASE WHEN $whole THEN [] ELSE COLLECT {
    UNWIND $windows AS window
    UNWIND [i IN range(window.after + 1, size(kept) - 1) WHERE window.type IS NULL OR types[i] = window.type][..window.first] AS i
    RETURN DISTINCT i ORDER BY i
  } END AS shipped
RETURN root {.*} AS root,
       truncated,
       COLLECT { UNWIND types AS type WITH type, count(*) AS count RETURN [type, count] } AS counts,
       CASE
         WHEN NOT $whole THEN [i IN shipped |
           CASE $paths
             WHEN 'PATH' THEN [i, kept[i][0], [n IN nodes(kept[i][1])[1..-1] | n.id], [rel IN relationships(kept[i][1]) | type(rel)]] + kept[i][2..width]
             ELSE [i] + kept[i][..width]
           END]
         WHEN withNodes THEN [row IN kept | row[..width]]
         ELSE kept
       END AS rows,
       COLLECT {
         UNWIND CASE WHEN $paths = 'PATH' THEN shipped ELSE [] END AS i
         UNWIND nodes(kept[i][1])[1..-1] AS inner
         WITH DISTINCT inner
         WHERE NOT inner IN [j IN shipped | last(nodes(kept[j][1]))]
         RETURN CASE WHEN $record.all THEN inner {.*} ELSE [f IN $record.fields | inner[f]] END
       } AS pathRecords,
       COLLECT {
         UNWIND CASE WHEN $owners IS NULL THEN [] ELSE [root] + [row IN kept | last(row)] END AS member
         MATCH (member)-[:OWNED_BY]->(owner:Owner)
         WITH DISTINCT owner
         RETURN CASE WHEN $owners.all THEN owner {.*} ELSE [f IN $owners.fields | owner[f]] END
       } AS owners,
       COLLECT {
         UNWIND CASE WHEN $vendors IS NULL THEN [] ELSE [root] + [row IN kept | last(row)] END AS member
         MATCH (member)-[:PROVIDED_BY]->(vendor:Vendor)
         WITH DISTINCT vendor
         RETURN CASE WHEN $vendors.all THEN vendor {.*} ELSE [f IN $vendors.fields | vendor[f]] END
       } AS vendors
