// Records that differ between the graph at $from and at $to, for changes(), in id order from the
// cursor. Only a record that a change set in ($from, $to] touched can differ: those are found on
// the change_set_at index (their CREATE, UPDATE and DELETE events; LINK and UNLINK change no
// record). Its states at both instants then decide (each found as findEntitiesAt finds one), so a
// record changed and changed back, or created and deleted inside the window, is left out. $ignored
// names the properties that change with every write (version, updatedAt) or are the history's own.
MATCH (c:ChangeSet)
WHERE c.at > $from AND c.at <= $to
UNWIND range(0, size(c.actions) - 1) AS i
WITH c.entityIds[i] AS id, c.entityTypes[i] AS type, c.actions[i] AS action
WHERE NOT action IN ['LINK', 'UNLINK'] AND ($types IS NULL OR type IN $types) AND ($afterId IS NULL OR id > $afterId)
WITH DISTINCT id
ORDER BY id
CALL (id) {
  OPTIONAL MATCH (live:Entity {id: id})
  OPTIONAL MATCH (gone:Retired {id: id})
  RETURN coalesce(live, gone) AS n
}
CALL (n, id) {
  OPTIONAL MATCH (v:EntityVersion {entityId: id}) WHERE v.validFrom <= $from
  WITH n, v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
  RETURN CASE
    WHEN n.updatedAt <= $from AND (n:Entity OR $from < n.retiredAt) THEN n {.*}
    WHEN $from < v.validTo THEN v {.*}
  END AS before
}
CALL (n, id) {
  OPTIONAL MATCH (v:EntityVersion {entityId: id}) WHERE v.validFrom <= $to
  WITH n, v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
  RETURN CASE
    WHEN n.updatedAt <= $to AND (n:Entity OR $to < n.retiredAt) THEN n {.*}
    WHEN $to < v.validTo THEN v {.*}
  END AS after
}
WITH id, before, after
WHERE (before IS NOT NULL OR after IS NOT NULL)
  AND ($source IS NULL OR coalesce(after.source, before.source) = $source)
  AND (before IS NULL OR after IS NULL
       OR any(field IN keys(before) + keys(after)
              WHERE NOT field IN $ignored AND NOT coalesce(before[field] = after[field], before[field] IS NULL AND after[field] IS NULL)))
WITH id, before, after ORDER BY id
LIMIT $limit + 1
RETURN id, before, after
