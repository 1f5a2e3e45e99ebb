// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds. A decision
// has no other lineage relationship, so every walk is: flow relationships against (downstream) or
// along (upstream) their stored direction, and at most one INFORMS hop at the decision end. Each
// hop's direction and type are part of the pattern, so the shortest-path search prunes by them;
// it never revisits a record, so cycles end. The quantifier's 50 is the hard ceiling (Cypher takes
// no parameter there); $maxDepth, the configured one, is at most 50.
// Everything that depends on the root ($downstream: its blast radius) or that it depends on,
// each with one shortest path that explains why, and the owners and vendors they involve. Paths
// carry ids only: every record on a shortest path is itself reached (nearer), so its properties
// come once, with its own item, instead of again in every path through it.
// The root comes by id or by key; the other parameter is null.
MATCH (root:Entity)
WHERE root.id = $id OR root.key = $key
WITH root,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[flow]-() WHERE type(flow) IN $flowTypes){0,50}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (reached:Entity)
    WHERE $downstream AND reached <> root AND length(p) <= $maxDepth
  WITH reached, p ORDER BY length(p), reached.name, reached.id
  LIMIT $probe
  RETURN {
    entity: reached {.*},
    distance: length(p),
    nodeIds: [n IN nodes(p) | n.id],
    steps: [rel IN relationships(p) | {type: type(rel), fromId: startNode(rel).id, toId: endNode(rel).id}]
  }
  } AS dependents,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS]-() WHERE $followInforms){0,1}
    (()-[flow]->() WHERE type(flow) IN $flowTypes){0,50}
    (reached:Entity)
    WHERE NOT $downstream AND reached <> root AND length(p) <= $maxDepth
  WITH reached, p ORDER BY length(p), reached.name, reached.id
  LIMIT $probe
  RETURN {
    entity: reached {.*},
    distance: length(p),
    nodeIds: [n IN nodes(p) | n.id],
    steps: [rel IN relationships(p) | {type: type(rel), fromId: startNode(rel).id, toId: endNode(rel).id}]
  }
  } AS dependencies
WITH root, dependents + dependencies AS reached
WITH root, reached, [root.id] + [item IN reached | item.entity.id] AS ids
RETURN root {.*} AS root,
       reached,
       COLLECT {
         UNWIND ids AS memberId
         MATCH (:Entity {id: memberId})-[:OWNED_BY]->(owner:Owner)
         RETURN DISTINCT owner {.*}
       } AS owners,
       COLLECT {
         UNWIND ids AS memberId
         MATCH (:Entity {id: memberId})-[:PROVIDED_BY]->(vendor:Vendor)
         RETURN DISTINCT vendor {.*}
       } AS vendors
