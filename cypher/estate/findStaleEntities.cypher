// What a source wrote before and no longer sends (REPLACE mode).
MATCH (n:Entity {source: $source})
WHERE NOT n.key IN $keys
RETURN n {.*} AS entity
