// findLineage.cypher as of an instant, $asOf: the same walk, subgraph and shipping, over what held
// then (see findReachableAsOf.cypher for the rules at an instant). An edge is a relationship that
// held then, shipped with its type (a WAS's `was`) and its properties then; the root ships its
// state then, null when it did not exist then.
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
        (()<-[informs:INFORMS|WAS]-() WHERE $followInforms AND CASE type(informs) WHEN 'WAS' THEN informs.was = 'INFORMS' AND informs.validFrom <= $asOf < informs.validTo
                             ELSE coalesce(informs.validFrom, informs.createdAt) <= $asOf END){0,1}
        (()-[flow:$flowTypes|WAS]->() WHERE CASE type(flow) WHEN 'WAS' THEN flow.was IN $flowTypes AND flow.validFrom <= $asOf < flow.validTo
                             ELSE type(flow) IN $flowTypes AND coalesce(flow.validFrom, flow.createdAt) <= $asOf END){0,$maxDepth}
        (reached)
      WHERE $upstream AND reached <> root AND length(p) <= $maxDepth
      RETURN reached, length(p) AS distance, 'UPSTREAM' AS direction
      UNION ALL
      MATCH p = ANY SHORTEST (root)
        (()<-[flow:$flowTypes|WAS]-() WHERE CASE type(flow) WHEN 'WAS' THEN flow.was IN $flowTypes AND flow.validFrom <= $asOf < flow.validTo
                             ELSE type(flow) IN $flowTypes AND coalesce(flow.validFrom, flow.createdAt) <= $asOf END){0,$maxDepth}
        (()-[informs:INFORMS|WAS]->() WHERE $followInforms AND CASE type(informs) WHEN 'WAS' THEN informs.was = 'INFORMS' AND informs.validFrom <= $asOf < informs.validTo
                             ELSE coalesce(informs.validFrom, informs.createdAt) <= $asOf END){0,1}
        (reached)
      WHERE $downstream AND reached <> root AND length(p) <= $maxDepth
      RETURN reached, length(p) AS distance, 'DOWNSTREAM' AS direction
    }
    WITH *, CASE WHEN reached.updatedAt <= $asOf THEN CASE WHEN reached.retiredAt <= $asOf THEN null ELSE reached END
      ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: reached.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
            WHERE $asOf < v.validTo][0] END AS state
    WITH direction, reached, distance, state ORDER BY distance, state.name, reached.id
    RETURN {direction: direction, node: reached, distance: distance, state: state}
  } AS found
WITH root, rootState,
  [entry IN found WHERE entry.direction = 'UPSTREAM'][..$probe] AS upstream,
  [entry IN found WHERE entry.direction = 'DOWNSTREAM'][..$probe] AS downstream
WITH root, rootState, upstream, downstream, [root] + [entry IN upstream + downstream | entry.node] AS members
RETURN properties(rootState) AS root,
       [entry IN upstream | [entry.distance] + (CASE WHEN $record.all THEN [properties(entry.state)] ELSE [f IN $record.fields | entry.state[f]] END)] AS upstream,
       [entry IN downstream | [entry.distance] + (CASE WHEN $record.all THEN [properties(entry.state)] ELSE [f IN $record.fields | entry.state[f]] END)] AS downstream,
       COLLECT {
         UNWIND CASE WHEN $edges AND rootState IS NOT NULL THEN members ELSE [] END AS a
         MATCH (a)-[r:$flowTypes|INFORMS|WAS]->(b)
         WHERE b IN members AND CASE type(r)
           WHEN 'WAS' THEN (r.was IN $flowTypes OR ($followInforms AND r.was = 'INFORMS')) AND r.validFrom <= $asOf < r.validTo
           ELSE (type(r) IN $flowTypes OR ($followInforms AND type(r) = 'INFORMS')) AND coalesce(r.validFrom, r.createdAt) <= $asOf
         END
         RETURN DISTINCT [CASE type(r) WHEN 'WAS' THEN r.was ELSE type(r) END, a.id, b.id] + (CASE WHEN $edgeProperties THEN [properties(r)] ELSE [] END)
       } AS edges
