// One MAPS_TO per pair and source: two sources may assert the same pair with different types.
UNWIND $rows AS row
MATCH (a:Requirement {key: row.fromKey})
MATCH (b:Requirement {key: row.toKey})
MERGE (a)-[m:MAPS_TO {source: row.source}]->(b)
ON CREATE SET m.createdAt = datetime()
SET m.type = row.type, m.rationale = row.rationale, m.sourceUrl = row.sourceUrl, m.sourceTitle = row.sourceTitle
RETURN count(m) AS written
