// findCompromisedUpstream.cypher as of an instant, $asOf, over what held then (see
// findReachableAsOf.cypher for the rules at an instant). A record counts as compromised then when a
// compromise window recorded on an incident's INVOLVES (markCompromised's `since`, clearCompromised's
// `until`) holds $asOf: the windows as known now, so that a compromise found later and dated back
// shows in the past it covers. Records and path records ship their state then; a record that did
// not exist then has nothing upstream.
UNWIND $ids AS id
CALL (id) {
  MATCH (root:Entity {id: id}) RETURN root
  UNION
  MATCH (root:Retired {id: id}) RETURN root
}
RETURN id, COLLECT {
  MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS|WAS]-() WHERE $followInforms AND CASE type(informs) WHEN 'WAS' THEN informs.was = 'INFORMS' AND informs.validFrom <= $asOf < informs.validTo
                         ELSE coalesce(informs.validFrom, informs.createdAt) <= $asOf END){0,1}
    (()-[flow:$flowTypes|WAS]->() WHERE CASE type(flow) WHEN 'WAS' THEN flow.was IN $flowTypes AND flow.validFrom <= $asOf < flow.validTo
                         ELSE type(flow) IN $flowTypes AND coalesce(flow.validFrom, flow.createdAt) <= $asOf END){0,$maxDepth}
    (reached)
  WHERE reached <> root AND length(p) <= $maxDepth
  // Tested once the walk has found the record: asked together, the planner may start from every
  // record in the graph that an incident involves and search back for the root.
  WITH root, reached, p
  WHERE EXISTS {
    MATCH (:Incident)-[window:INVOLVES]->(reached)
    WHERE window.compromisedSince <= $asOf AND (window.compromisedUntil IS NULL OR $asOf < window.compromisedUntil)
  }
  UNWIND nodes(p) AS member
  WITH *, CASE WHEN member.updatedAt <= $asOf THEN CASE WHEN member.retiredAt <= $asOf THEN null ELSE member END
    ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: member.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
          WHERE $asOf < v.validTo][0] END AS state
  WITH reached, p, collect(properties(state)) AS states
  WITH reached, p, states ORDER BY length(p), last(states).name
  RETURN {entity: last(states), distance: length(p), nodes: states,
          steps: [rel IN relationships(p) | {type: CASE type(rel) WHEN 'WAS' THEN rel.was ELSE type(rel) END, fromId: startNode(rel).id, toId: endNode(rel).id}]}
} AS sources
