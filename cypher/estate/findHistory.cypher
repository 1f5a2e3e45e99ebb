// A record's history, newest first: the change sets whose entityIndex names it (a full-text term
// query: the analyzer splits on whitespace only, so a whole id is one term), then its own events in
// each, including those recorded on the other end of its relationships.
// $until (null: none) keeps what had happened by then, for a record read as of that instant.
// The index is eventually consistent (migration 015): waiting for its refresh first makes every
// committed change set findable, so a write is in its record's history as soon as it is answered.
CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()
CALL db.index.fulltext.queryNodes('change_set_records', $term) YIELD node AS c
WITH c WHERE $until IS NULL OR c.at <= $until
WITH c ORDER BY c.at DESC
UNWIND [i IN range(size(c.actions) - 1, 0, -1) WHERE c.entityIds[i] = $id OR c.relatedIds[i] = $id] AS i
WITH c, i LIMIT $limit
RETURN c.id + ':' + toString(i) AS id, i AS seq, c.at AS at, c.recordedAt AS recordedAt, c.actor AS actor, nullIf(c.source, '') AS source, c.reason AS reason,
       c.actions[i] AS action, c.entityIds[i] AS entityId, c.entityTypes[i] AS entityType,
       nullIf(c.relationshipTypes[i], '') AS relationshipType, nullIf(c.relatedIds[i], '') AS relatedEntityId,
       c.changes[i] AS changes
