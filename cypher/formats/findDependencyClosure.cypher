// A record and everything it rests on: the records reached along the stored direction of the
// $flowTypes (a model to its base, its datasets, their sources, vendors and owners), each once,
// by one shortest path so that the search never revisits a record. The catalog writes $maxDepth
// into the quantifier; $limit + 1 rows say the closure is larger than the caller allows.
MATCH (root:Entity {id: $id})
MATCH p = ANY SHORTEST (root)(()-[flow:$flowTypes]->()){0,$maxDepth}(reached:Entity)
WITH DISTINCT reached
LIMIT $limit + 1
RETURN reached {.*} AS entity
