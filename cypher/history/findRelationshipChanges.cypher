// Relationships that differ between the graph at $from and at $to, for changes(), in key order
// (fromId|type|toId) from the cursor. Only one that a change in ($from, $to] touched can differ:
// LINK and UNLINK events of the change sets in the window (change_set_at index), and the WAS copies
// that ended in it (was_valid_to index: an unlink, a withdrawal, a deleted end, or new properties,
// which leave the old ones on a WAS). Its states at both instants (live and valid from before the
// instant, or a WAS whose interval holds it) then decide, so one removed and put back as it was is
// left out. $ignored names the properties the API keeps on it, which are not its own. A relationship
// belongs to the record it starts from (as a sync's access rule has it), so $source is that
// record's: which sources assert a relationship is not kept through time (a source joining or
// leaving one changes no history), so it cannot say what was asserted then.
CALL {
  MATCH (c:ChangeSet)
  WHERE c.at > $from AND c.at <= $to
  UNWIND range(0, size(c.actions) - 1) AS i
  WITH c, i WHERE c.actions[i] IN ['LINK', 'UNLINK']
  RETURN c.entityIds[i] AS fromId, c.relationshipTypes[i] AS type, c.relatedIds[i] AS toId
  UNION
  MATCH (a)-[w:WAS]->(b)
  WHERE w.validTo > $from AND w.validTo <= $to
  RETURN a.id AS fromId, w.was AS type, b.id AS toId
}
WITH fromId, type, toId, fromId + '|' + type + '|' + toId AS key
WHERE type IN $relationshipTypes AND ($afterKey IS NULL OR key > $afterKey)
ORDER BY key
CALL (fromId, toId) {
  OPTIONAL MATCH (liveA:Entity {id: fromId})
  OPTIONAL MATCH (goneA:Retired {id: fromId})
  OPTIONAL MATCH (liveB:Entity {id: toId})
  OPTIONAL MATCH (goneB:Retired {id: toId})
  RETURN coalesce(liveA, goneA) AS a, coalesce(liveB, goneB) AS b
}
WITH key, fromId, type, toId, a, b
WHERE ($source IS NULL OR a.source = $source) AND ($types IS NULL OR a.type IN $types OR b.type IN $types)
// From the start end (see estate/findRelationshipsBetween for why).
CALL (a, type, toId) {
  OPTIONAL MATCH (a)-[r]->(end)
  WHERE end.id = toId
    AND (type(r) = type AND coalesce(r.validFrom, r.createdAt) <= $from
         OR type(r) = 'WAS' AND r.was = type AND r.validFrom <= $from < r.validTo)
  RETURN collect(properties(r))[0] AS before
}
CALL (a, type, toId) {
  OPTIONAL MATCH (a)-[r]->(end)
  WHERE end.id = toId
    AND (type(r) = type AND coalesce(r.validFrom, r.createdAt) <= $to
         OR type(r) = 'WAS' AND r.was = type AND r.validFrom <= $to < r.validTo)
  RETURN collect(properties(r))[0] AS after
}
WITH key, fromId, type, toId, before, after
WHERE (before IS NOT NULL OR after IS NOT NULL)
  AND (before IS NULL OR after IS NULL
       OR any(field IN keys(before) + keys(after)
              WHERE NOT field IN $ignored AND NOT coalesce(before[field] = after[field], before[field] IS NULL AND after[field] IS NULL)))
WITH key, fromId, type, toId, before, after ORDER BY key
LIMIT $limit + 1
RETURN key, fromId, type, toId, before, after
