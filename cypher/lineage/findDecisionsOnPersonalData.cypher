// Walk rules: see findReachable.cypher.
// Decisions that rest on datasets holding personal data, with those datasets.
MATCH (root:Dataset {containsPersonalData: true})
MATCH p = ANY SHORTEST (root)
    (()<-[flow:$flowTypes]-()){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (decision:Decision)
WHERE length(p) <= $maxDepth
WITH decision, root ORDER BY root.name
WITH decision, collect(root {.*}) AS sources
RETURN decision {.*} AS decision, sources
ORDER BY size(sources) DESC, decision.name
