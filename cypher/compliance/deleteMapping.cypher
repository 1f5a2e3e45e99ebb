MATCH (a:Requirement {key: $fromKey})-[m:MAPS_TO {source: $source}]->(b:Requirement {key: $toKey})
DELETE m
RETURN count(*) AS deleted
