// A seed crosswalk is the whole truth for its source: pairs it no longer lists are removed.
MATCH (a:Requirement)-[m:MAPS_TO {source: $source}]->(b:Requirement)
WHERE NOT (a.key + '>' + b.key) IN $keep
DELETE m
RETURN count(*) AS deleted
