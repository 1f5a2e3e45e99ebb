// Walk rules: see findReachable.cypher. What depended on the root at any moment from $from to $to
// (both included), as raw material for the API's sweep (src/lineage/window.ts): every record the
// walk reaches over relationships that held at some moment of the window (live ones valid from no
// later than $to, WAS ones whose interval meets it), nearest first and cut at $limit ($limit + 1
// found says the answer is truncated), each in its latest state (a retired record as it was
// last); and every such relationship among them, `[type, fromId, toId, validFrom, validTo]` as
// stored (validTo null while it holds). A record depends on the root at an instant when a walk over
// the relationships that held then reaches it, which only the sweep decides: a path of relationships
// that each held at some moment of the window need not have held all at once. Reached within
// $maxDepth in that union, every record within $maxDepth at one instant is found, and so are the
// relationships of its path then.
CALL () {
  MATCH (root:Entity) WHERE root.id = $id OR root.key = $key RETURN root
  UNION
  MATCH (root:Retired) WHERE root.id = $id OR root.key = $key RETURN root
}
WITH root, COLLECT {
  MATCH p = ANY SHORTEST (root)
    (()<-[flow:$flowTypes|WAS]-() WHERE CASE type(flow) WHEN 'WAS' THEN flow.was IN $flowTypes AND flow.validFrom <= $to AND $from < flow.validTo
                         ELSE type(flow) IN $flowTypes AND coalesce(flow.validFrom, flow.createdAt) <= $to END){0,$maxDepth}
    (()-[informs:INFORMS|WAS]->() WHERE $followInforms AND CASE type(informs) WHEN 'WAS' THEN informs.was = 'INFORMS' AND informs.validFrom <= $to AND $from < informs.validTo
                         ELSE coalesce(informs.validFrom, informs.createdAt) <= $to END){0,1}
    (reached)
  WHERE reached <> root AND length(p) <= $maxDepth
  WITH reached ORDER BY length(p), reached.name, reached.id
  LIMIT $limit + 1
  RETURN reached
} AS found
WITH root, found[..$limit] AS kept, size(found) > $limit AS truncated
WITH root, kept, truncated, [root] + kept AS members
RETURN root {.*} AS root,
       truncated,
       [n IN kept | n {.*}] AS records,
       COLLECT {
         UNWIND members AS a
         MATCH (a)-[r:$flowTypes|INFORMS|WAS]->(b)
         WHERE b IN members AND CASE type(r)
           WHEN 'WAS' THEN (r.was IN $flowTypes OR ($followInforms AND r.was = 'INFORMS')) AND r.validFrom <= $to AND $from < r.validTo
           ELSE (type(r) IN $flowTypes OR ($followInforms AND type(r) = 'INFORMS')) AND coalesce(r.validFrom, r.createdAt) <= $to
         END
         RETURN [CASE type(r) WHEN 'WAS' THEN r.was ELSE type(r) END, a.id, b.id, coalesce(r.validFrom, r.createdAt), CASE type(r) WHEN 'WAS' THEN r.validTo END]
       } AS relationships
