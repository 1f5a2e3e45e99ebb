// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds. A decision
// has no other lineage relationship, so every walk is: flow relationships against (downstream) or
// along (upstream) their stored direction, and at most one INFORMS hop at the decision end. Each
// hop's direction and type are part of the pattern, so the shortest-path search prunes by them;
// it never revisits a record, so cycles end. The catalog writes $maxDepth into the flow quantifier
// (Cypher takes no parameter there), so the search stops at the depth asked; `length(p) <=
// $maxDepth` still bounds the whole path, the INFORMS hop included.
// Everything that depends on the root ($downstream: its blast radius) or that it depends on,
// each with one shortest path that explains why, and the owners and vendors they involve. Paths
// carry ids and relationship types only: every record on a shortest path is itself reached
// (nearer), so its properties come once, with its own item, and each step's direction follows
// from its type and the walk (the rule above), so neither is shipped again per path.
// With $summary, each reached record brings only the properties of SUMMARY_PROPERTIES
// (src/estate/projection.ts): what the caller selected needs no more.
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
  LIMIT $probe
  RETURN {
    node: reached,
    entity: CASE WHEN $summary THEN reached {.id, .key, .type, .source, .externalId, .name, .status, .impactLevel, .humanInTheLoop} ELSE reached {.*} END,
    distance: length(p),
    nodeIds: [n IN nodes(p) | n.id],
    stepTypes: [rel IN relationships(p) | type(rel)]
  }
  } AS dependents,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS]-() WHERE $followInforms){0,1}
    (()-[flow]->() WHERE type(flow) IN $flowTypes){0,$maxDepth}
    (reached:Entity)
    WHERE NOT $downstream AND reached <> root AND length(p) <= $maxDepth
  WITH reached, p ORDER BY length(p), reached.name, reached.id
  LIMIT $probe
  RETURN {
    node: reached,
    entity: CASE WHEN $summary THEN reached {.id, .key, .type, .source, .externalId, .name, .status, .impactLevel, .humanInTheLoop} ELSE reached {.*} END,
    distance: length(p),
    nodeIds: [n IN nodes(p) | n.id],
    stepTypes: [rel IN relationships(p) | type(rel)]
  }
  } AS dependencies
WITH root, dependents + dependencies AS reached
RETURN root {.*} AS root,
       [item IN reached | {entity: item.entity, distance: item.distance, nodeIds: item.nodeIds, stepTypes: item.stepTypes}] AS reached,
       COLLECT {
         UNWIND [root] + [item IN reached | item.node] AS member
         MATCH (member)-[:OWNED_BY]->(owner:Owner)
         RETURN DISTINCT owner {.*}
       } AS owners,
       COLLECT {
         UNWIND [root] + [item IN reached | item.node] AS member
         MATCH (member)-[:PROVIDED_BY]->(vendor:Vendor)
         RETURN DISTINCT vendor {.*}
       } AS vendors
