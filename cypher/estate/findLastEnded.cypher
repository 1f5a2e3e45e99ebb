// When each relationship last ended (its newest WAS copy's validTo), for a dated sync: one may not
// start again at an instant when it had not ended yet. From the start end (see findRelationshipsBetween),
// which is live, or retired and revived by the same call.
UNWIND $rows AS row
OPTIONAL MATCH (live:Entity {id: row.fromId}) USING INDEX live:Entity(id)
OPTIONAL MATCH (gone:Retired {id: row.fromId}) USING INDEX gone:Retired(id)
WITH row, coalesce(live, gone) AS a
MATCH (a)-[was:WAS]->(b)
WHERE b.id = row.toId AND was.was = row.type
RETURN row.index AS index, max(was.validTo) AS endedAt
