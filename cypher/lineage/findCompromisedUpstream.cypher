// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds. A decision
// has no other lineage relationship, so every walk is: flow relationships against (downstream) or
// along (upstream) their stored direction, and at most one INFORMS hop at the decision end. Each
// hop's direction and type are part of the pattern, so the shortest-path search prunes by them;
// it never revisits a record, so cycles end. The catalog writes $maxDepth into the flow quantifier
// and $flowTypes into the flow pattern (Cypher takes no parameter there), so the search stops at the
// depth asked and reads only those relationships, not the ended WAS copies beside them; `length(p) <=
// $maxDepth` still bounds the whole path, the INFORMS hop included.
// For many records at once: the COMPROMISED records they depend on, computed when read so that
// clearing a compromise clears it everywhere.
UNWIND $ids AS id
MATCH (root:Entity {id: id})
RETURN id, COLLECT {
  MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS]-() WHERE $followInforms){0,1}
    (()-[flow:$flowTypes]->()){0,$maxDepth}
    (reached:Entity)
  WHERE reached.status = 'COMPROMISED' AND reached <> root AND length(p) <= $maxDepth
  WITH reached, p ORDER BY length(p), reached.name
  RETURN {entity: reached {.*}, distance: length(p), nodes: [x IN nodes(p) | x {.*}],
          steps: [rel IN relationships(p) | {type: type(rel), fromId: startNode(rel).id, toId: endNode(rel).id}]}
} AS sources
