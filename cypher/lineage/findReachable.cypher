// Everything that depends on the root ($downstream = true: its blast radius) or that the root
// depends on ($downstream = false), each with one shortest path that explains why.
// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds: the hop
// predicate walks each type the right way. Shortest-path search never revisits a record, so
// cycles end; the quantifier's 50 is the hard ceiling, $maxDepth the configured one.
MATCH (root:Entity {id: $id})
WITH root, COLLECT {
  MATCH p = ANY SHORTEST (root)
    ((a:Entity)-[r]-(b:Entity)
      WHERE type(r) IN $types AND ((type(r) = 'INFORMS') = (startNode(r) = a)) = $downstream){1,50}
    (reached:Entity)
  WHERE reached <> root AND length(p) <= $maxDepth
  WITH reached, p ORDER BY length(p), reached.name, reached.id
  LIMIT $probe
  RETURN {
    entity: reached {.*},
    distance: length(p),
    nodes: [n IN nodes(p) | n {.*}],
    steps: [rel IN relationships(p) | {type: type(rel), fromId: startNode(rel).id, toId: endNode(rel).id}]
  }
} AS reached
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
