// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds. A decision
// has no other lineage relationship, so every walk is: flow relationships against (downstream) or
// along (upstream) their stored direction, and at most one INFORMS hop at the decision end. Each
// hop's direction and type are part of the pattern, so the shortest-path search prunes by them;
// it never revisits a record, so cycles end. The catalog writes $maxDepth into the flow quantifier
// (Cypher takes no parameter there), so the search stops at the depth asked; `length(p) <=
// $maxDepth` still bounds the whole path, the INFORMS hop included.
// Everything that depends on the root ($downstream: its blast radius) or that it depends on, in
// one order (nearest first, then by name and id), cut at $limit records ($limit + 1 found says the
// answer is truncated). Only what the caller selected is shipped (src/lineage/reachShape.ts):
// - the count per type of the whole answer, always;
// - records: every one ($whole), or those in $windows, each the `first` records of one type (any
//   when null) after position `after`. Each record is a list: its position, its distance, how it
//   is reached (per $paths), then the values of $record.fields in that order, or its property map
//   when $record.all: no key strings per record;
// - $paths 'PARENT' (every record shipped): the previous record on its shortest path and the
//   step's type. That record is nearer, so it is shipped too, and its own shortest path plus the
//   step is a shortest path of the same length: the API rebuilds paths by following parents.
//   'PATH' (windows): the ids of the path's inner records and each step's type, with the inner
//   records not shipped otherwise once each (pathRecords). Each step's direction follows from its
//   type and the walk (the rule above);
// - owners and vendors of the root and of every record in the answer, once each, only when
//   selected ($owners, $vendors: null or as $record).
// The root comes by id or by key; the other parameter is null.
MATCH (root:Entity)
WHERE root.id = $id OR root.key = $key
WITH root,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[flow]-() WHERE type(flow) IN $flowTypes){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (reached:Entity)
    WHERE $downstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, p ORDER BY length(p), reached.name, reached.id
    LIMIT $limit + 1
    RETURN {node: reached, type: reached.type, distance: length(p), path: p}
  } + COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS]-() WHERE $followInforms){0,1}
    (()-[flow]->() WHERE type(flow) IN $flowTypes){0,$maxDepth}
    (reached:Entity)
    WHERE NOT $downstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, p ORDER BY length(p), reached.name, reached.id
    LIMIT $limit + 1
    RETURN {node: reached, type: reached.type, distance: length(p), path: p}
  } AS found
WITH root, found[..$limit] AS kept, size(found) > $limit AS truncated
WITH root, kept, truncated,
  CASE WHEN $whole THEN range(0, size(kept) - 1) ELSE COLLECT {
    UNWIND $windows AS window
    UNWIND [i IN range(window.after + 1, size(kept) - 1) WHERE window.type IS NULL OR kept[i].type = window.type][..window.first] AS i
    RETURN DISTINCT i ORDER BY i
  } END AS shipped
WITH root, kept, truncated, [i IN shipped | kept[i]] AS rows, [i IN shipped | [i, kept[i].distance]] AS heads
RETURN root {.*} AS root,
       truncated,
       COLLECT {
         UNWIND kept AS entry
         WITH entry.type AS type, count(*) AS count
         RETURN [type, count]
       } AS counts,
       [k IN range(0, size(rows) - 1) |
         heads[k]
         + (CASE $paths
              WHEN 'PARENT' THEN [nodes(rows[k].path)[-2].id, type(last(relationships(rows[k].path)))]
              WHEN 'PATH' THEN [[n IN nodes(rows[k].path)[1..-1] | n.id], [rel IN relationships(rows[k].path) | type(rel)]]
              ELSE []
            END)
         + (CASE WHEN $record.all THEN [properties(rows[k].node)] ELSE [f IN $record.fields | rows[k].node[f]] END)
       ] AS rows,
       COLLECT {
         WITH [row IN rows | row.node] AS shippedNodes
         UNWIND CASE WHEN $paths = 'PATH' THEN rows ELSE [] END AS row
         UNWIND nodes(row.path)[1..-1] AS inner
         WITH DISTINCT inner, shippedNodes
         WHERE NOT inner IN shippedNodes
         RETURN CASE WHEN $record.all THEN inner {.*} ELSE [f IN $record.fields | inner[f]] END
       } AS pathRecords,
       COLLECT {
         UNWIND CASE WHEN $owners IS NULL THEN [] ELSE [root] + [entry IN kept | entry.node] END AS member
         MATCH (member)-[:OWNED_BY]->(owner:Owner)
         WITH DISTINCT owner
         RETURN CASE WHEN $owners.all THEN owner {.*} ELSE [f IN $owners.fields | owner[f]] END
       } AS owners,
       COLLECT {
         UNWIND CASE WHEN $vendors IS NULL THEN [] ELSE [root] + [entry IN kept | entry.node] END AS member
         MATCH (member)-[:PROVIDED_BY]->(vendor:Vendor)
         WITH DISTINCT vendor
         RETURN CASE WHEN $vendors.all THEN vendor {.*} ELSE [f IN $vendors.fields | vendor[f]] END
       } AS vendors
