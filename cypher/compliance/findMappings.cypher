// The crosswalk edges touching each requirement, in either direction.
UNWIND $keys AS key
MATCH (r:Requirement {key: key})
OPTIONAL MATCH (r)-[m:MAPS_TO]-(other:Requirement)
WITH key, r, m, other ORDER BY other.framework, other.order
RETURN key, [x IN collect(CASE WHEN m IS NULL THEN null ELSE {
  fromKey: startNode(m).key, toKey: endNode(m).key, type: m.type, source: m.source, rationale: m.rationale, sourceUrl: m.sourceUrl, sourceTitle: m.sourceTitle
} END) WHERE x IS NOT NULL] AS mappings
