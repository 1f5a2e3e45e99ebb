// The records an export holds, of the $types it writes, from every source or one ($source).
// On the (type, name, id) index: the name and id conditions let the planner seek it by type.
MATCH (n:Entity)
WHERE n.type IN $types AND n.name IS NOT NULL AND n.id IS NOT NULL
  AND ($source IS NULL OR n.source = $source)
RETURN n {.*} AS entity
