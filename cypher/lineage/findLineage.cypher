// The subgraph around a record: what it depends on (upstream), what depends on it (downstream),
// and every relationship of the requested types among those records, so that diamonds show both
// of their paths. Direction rules are those of findReachable.
MATCH (root:Entity {id: $id})
WITH root,
  COLLECT {
    WITH root WHERE $upstream
    MATCH p = ANY SHORTEST (root)
      ((a:Entity)-[r]-(b:Entity)
        WHERE type(r) IN $types AND ((type(r) = 'INFORMS') <> (startNode(r) = a))){1,50}
      (reached:Entity)
    WHERE reached <> root AND length(p) <= $maxDepth
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    LIMIT $probe
    RETURN {entity: reached {.*}, distance: distance, direction: 'UPSTREAM'}
  } AS upstream,
  COLLECT {
    WITH root WHERE $downstream
    MATCH p = ANY SHORTEST (root)
      ((a:Entity)-[r]-(b:Entity)
        WHERE type(r) IN $types AND ((type(r) = 'INFORMS') = (startNode(r) = a))){1,50}
      (reached:Entity)
    WHERE reached <> root AND length(p) <= $maxDepth
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    LIMIT $probe
    RETURN {entity: reached {.*}, distance: distance, direction: 'DOWNSTREAM'}
  } AS downstream
WITH root, upstream, downstream, [root.id] + [item IN upstream + downstream | item.entity.id] AS ids
RETURN root {.*} AS root,
       upstream,
       downstream,
       COLLECT {
         UNWIND ids AS memberId
         MATCH (a:Entity {id: memberId})-[r]->(b:Entity)
         WHERE type(r) IN $types AND b.id IN ids
         RETURN DISTINCT {type: type(r), fromId: a.id, toId: b.id, properties: properties(r)}
       } AS edges
