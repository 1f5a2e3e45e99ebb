// Walk rules: see findReachable.cypher.
// Vendor concentration: the decisions each vendor sits behind, through what it provides.
MATCH (root:Vendor)
MATCH p = ANY SHORTEST (root)
    (()<-[flow:$flowTypes]-()){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (decision:Decision)
WHERE length(p) <= $maxDepth
WITH root, decision ORDER BY decision.name
WITH root, collect(decision {.*}) AS decisions
RETURN root {.*} AS source, decisions
ORDER BY size(decisions) DESC, root.name
