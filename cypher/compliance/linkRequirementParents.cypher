// Replaces each requirement's PART_OF edges with the parents the catalogue gives now: a parent
// requirement (ATLAS techniques may sit under several tactics), or the framework for a top level.
UNWIND $rows AS row
MATCH (r:Requirement {key: row.key})
OPTIONAL MATCH (r)-[old:PART_OF]->()
DELETE old
WITH DISTINCT r, row
CALL {
  WITH r, row
  MATCH (f:Framework {key: row.framework})
  WHERE size(row.parentKeys) = 0
  MERGE (r)-[:PART_OF]->(f)
}
CALL {
  WITH r, row
  UNWIND row.parentKeys AS parentKey
  MATCH (p:Requirement {key: parentKey})
  MERGE (r)-[:PART_OF]->(p)
}
RETURN count(r) AS linked
