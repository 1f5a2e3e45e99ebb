// findReachable.cypher as of an instant, $asOf: the same walk, order and rows, always the whole
// answer with $paths NONE or PARENT (the API pages it: windows would double this text for a
// rarer question).
// At $asOf (cypher/README.md, "History"): a hop follows a relationship that held then (live and
// valid from no later, or a WAS of a walked type whose interval holds $asOf), so records retired
// since are reached too. Each record ships its state then (the rule of history/findEntitiesAt):
// its node when it has not changed since, else the newest version begun by then if it had not
// ended, found through the index on (entityId, validFrom). The look-up sits in the expression's
// branch so that it runs only for a record changed since. The root ships its state then, null when
// it did not exist then (the API says so); owners and vendors are those linked then.
CALL () {
  MATCH (root:Entity) WHERE root.id = $id OR root.key = $key RETURN root
  UNION
  MATCH (root:Retired) WHERE root.id = $id OR root.key = $key RETURN root
}
WITH *, CASE WHEN root.updatedAt <= $asOf THEN CASE WHEN root.retiredAt <= $asOf THEN null ELSE root END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: root.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS rootState
WITH root, rootState,
  COLLECT {
    CALL (root) {
      MATCH p = ANY SHORTEST (root)
        (()<-[flow:$flowTypes|WAS]-() WHERE CASE type(flow) WHEN 'WAS' THEN flow.was IN $flowTypes AND flow.validFrom <= $asOf < flow.validTo
                             ELSE type(flow) IN $flowTypes AND coalesce(flow.validFrom, flow.createdAt) <= $asOf END){0,$maxDepth}
        (()-[informs:INFORMS|WAS]->() WHERE $followInforms AND CASE type(informs) WHEN 'WAS' THEN informs.was = 'INFORMS' AND informs.validFrom <= $asOf < informs.validTo
                             ELSE coalesce(informs.validFrom, informs.createdAt) <= $asOf END){0,1}
        (reached)
      WHERE $downstream AND reached <> root AND length(p) <= $maxDepth
      RETURN reached, p
      UNION ALL
      MATCH p = ANY SHORTEST (root)
        (()<-[informs:INFORMS|WAS]-() WHERE $followInforms AND CASE type(informs) WHEN 'WAS' THEN informs.was = 'INFORMS' AND informs.validFrom <= $asOf < informs.validTo
                             ELSE coalesce(informs.validFrom, informs.createdAt) <= $asOf END){0,1}
        (()-[flow:$flowTypes|WAS]->() WHERE CASE type(flow) WHEN 'WAS' THEN flow.was IN $flowTypes AND flow.validFrom <= $asOf < flow.validTo
                             ELSE type(flow) IN $flowTypes AND coalesce(flow.validFrom, flow.createdAt) <= $asOf END){0,$maxDepth}
        (reached)
      WHERE NOT $downstream AND reached <> root AND length(p) <= $maxDepth
      RETURN reached, p
    }
    WITH *, CASE WHEN reached.updatedAt <= $asOf THEN CASE WHEN reached.retiredAt <= $asOf THEN null ELSE reached END
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: reached.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS state
    WITH reached, p, state, last(relationships(p)) AS step
    ORDER BY length(p), state.name, reached.id
    LIMIT $limit + 1
    RETURN [length(p)]
      + (CASE $paths WHEN 'PARENT' THEN [nodes(p)[-2].id, CASE type(step) WHEN 'WAS' THEN step.was ELSE type(step) END] ELSE [] END)
      + (CASE WHEN $record.all THEN [properties(state)] ELSE [f IN $record.fields | state[f]] END)
      + (CASE WHEN $owners IS NULL AND $vendors IS NULL THEN [] ELSE [reached] END)
  } AS found
WITH root, rootState, found[..$limit] AS kept, size(found) > $limit AS truncated,
  CASE $paths WHEN 'PARENT' THEN 3 ELSE 1 END AS valuesAt,
  $owners IS NOT NULL OR $vendors IS NOT NULL AS withNodes
WITH root, rootState, kept, truncated, withNodes,
  valuesAt + CASE WHEN $record.all THEN 1 ELSE size($record.fields) END AS width,
  CASE WHEN $record.all THEN [row IN kept | row[valuesAt].type] ELSE [row IN kept | row[valuesAt + 1]] END AS types
WITH root, rootState, kept, truncated, withNodes, width, types,
       COLLECT {
         UNWIND CASE WHEN withNodes AND rootState IS NOT NULL THEN [root] + [row IN kept | last(row)] ELSE [] END AS member
         CALL (member) {
           MATCH (member)-[r:OWNED_BY|WAS]->(other)
           WHERE $owners IS NOT NULL AND CASE type(r) WHEN 'WAS' THEN r.was = 'OWNED_BY' AND r.validFrom <= $asOf < r.validTo
                                            ELSE type(r) = 'OWNED_BY' AND coalesce(r.validFrom, r.createdAt) <= $asOf END
           RETURN other, 'owner' AS role
           UNION ALL
           MATCH (member)-[r:PROVIDED_BY|WAS]->(other)
           WHERE $vendors IS NOT NULL AND CASE type(r) WHEN 'WAS' THEN r.was = 'PROVIDED_BY' AND r.validFrom <= $asOf < r.validTo
                                             ELSE type(r) = 'PROVIDED_BY' AND coalesce(r.validFrom, r.createdAt) <= $asOf END
           RETURN other, 'vendor' AS role
         }
         WITH DISTINCT other, role
         WITH *, CASE WHEN other.updatedAt <= $asOf THEN CASE WHEN other.retiredAt <= $asOf THEN null ELSE other END
           ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: other.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
                 WHERE $asOf < v.validTo][0] END AS state
         WITH role, CASE role WHEN 'owner' THEN $owners ELSE $vendors END AS shipped, state
         RETURN [role, CASE WHEN shipped.all THEN properties(state) ELSE [f IN shipped.fields | state[f]] END]
       } AS related
RETURN properties(rootState) AS root,
       truncated,
       COLLECT { UNWIND types AS type WITH type, count(*) AS count RETURN [type, count] } AS counts,
       CASE WHEN withNodes THEN [row IN kept | row[..width]] ELSE kept END AS rows,
       [] AS pathRecords,
       [entry IN related WHERE entry[0] = 'owner' | entry[1]] AS owners,
       [entry IN related WHERE entry[0] = 'vendor' | entry[1]] AS vendors
