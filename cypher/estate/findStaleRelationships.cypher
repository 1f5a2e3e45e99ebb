// Relationships a source asserted before and no longer sends (REPLACE mode).
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) <> 'WAS'
  AND $source IN r.sources AND NOT (a.id + '|' + type(r) + '|' + b.id) IN $keep
RETURN a.id AS fromId, type(r) AS type, b.id AS toId, a.type AS fromType, r.sources AS sources, coalesce(r.validFrom, r.createdAt) AS validFrom
