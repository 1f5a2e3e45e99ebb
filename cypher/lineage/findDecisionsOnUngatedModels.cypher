// Walk rules: see findReachable.cypher.
// Decisions that rest on models that have not passed the approval gate (a lifecycle stage before
// APPROVED, or none recorded), with those models.
MATCH (root:AIModel)
WHERE NOT coalesce(root.lifecycleStage, 'UNKNOWN') IN $gatedStages
MATCH p = ANY SHORTEST (root)
    (()<-[flow]-() WHERE type(flow) IN $flowTypes){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (decision:Decision)
WHERE length(p) <= $maxDepth
WITH decision, root ORDER BY root.name
WITH decision, collect(root {.*}) AS sources
RETURN decision {.*} AS decision, sources
ORDER BY size(sources) DESC, decision.name
