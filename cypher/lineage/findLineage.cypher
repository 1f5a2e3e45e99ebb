// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds. A decision
// has no other lineage relationship, so every walk is: flow relationships against (downstream) or
// along (upstream) their stored direction, and at most one INFORMS hop at the decision end. Each
// hop's direction and type are part of the pattern, so the shortest-path search prunes by them;
// it never revisits a record, so cycles end. The catalog writes $maxDepth into the flow quantifier
// and $flowTypes into the flow pattern (Cypher takes no parameter there), so the search stops at the
// depth asked and reads only those relationships, not the ended WAS copies beside them; `length(p) <=
// $maxDepth` still bounds the whole path, the INFORMS hop included.
// The subgraph around a record: what it depends on (upstream), what depends on it (downstream),
// and every relationship of the requested types among those records, so that diamonds show both
// of their arms.
// Only what the caller selected is shipped (src/lineage/reachShape.ts): each reached record as a
// list, its distance then the values of $record.fields in that order (or its property map when
// $record.all); edges only when selected ($edges), each `[type, fromId, toId]` and its properties
// when selected ($edgeProperties).
// The root comes by id or by key; the other parameter is null.
MATCH (root:Entity)
WHERE root.id = $id OR root.key = $key
WITH root,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS]-() WHERE $followInforms){0,1}
    (()-[flow:$flowTypes]->()){0,$maxDepth}
    (reached:Entity)
    WHERE $upstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    LIMIT $probe
    RETURN {node: reached, distance: distance}
  } AS upstream,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[flow:$flowTypes]-()){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (reached:Entity)
    WHERE $downstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    LIMIT $probe
    RETURN {node: reached, distance: distance}
  } AS downstream
WITH root, upstream, downstream, [root] + [entry IN upstream + downstream | entry.node] AS members
RETURN root {.*} AS root,
       [entry IN upstream | [entry.distance] + (CASE WHEN $record.all THEN [properties(entry.node)] ELSE [f IN $record.fields | entry.node[f]] END)] AS upstream,
       [entry IN downstream | [entry.distance] + (CASE WHEN $record.all THEN [properties(entry.node)] ELSE [f IN $record.fields | entry.node[f]] END)] AS downstream,
       COLLECT {
         UNWIND CASE WHEN $edges THEN members ELSE [] END AS a
         MATCH (a)-[r:$flowTypes|INFORMS]->(b:Entity)
         WHERE (type(r) IN $flowTypes OR ($followInforms AND type(r) = 'INFORMS')) AND b IN members
         RETURN DISTINCT [type(r), a.id, b.id] + (CASE WHEN $edgeProperties THEN [properties(r)] ELSE [] END)
       } AS edges
