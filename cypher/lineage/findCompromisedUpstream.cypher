// For many records at once: the COMPROMISED records they depend on, computed when read so that
// clearing a compromise clears it everywhere. Direction rules are those of findReachable.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, COLLECT {
  MATCH p = ANY SHORTEST (n)
    ((a:Entity)-[r]-(b:Entity)
      WHERE type(r) IN $types AND ((type(r) = 'INFORMS') <> (startNode(r) = a))){1,50}
    (source:Entity)
  WHERE source.status = 'COMPROMISED' AND source <> n AND length(p) <= $maxDepth
  WITH source, p ORDER BY length(p), source.name
  RETURN {entity: source {.*}, distance: length(p), nodes: [x IN nodes(p) | x {.*}],
          steps: [rel IN relationships(p) | {type: type(rel), fromId: startNode(rel).id, toId: endNode(rel).id}]}
} AS sources
