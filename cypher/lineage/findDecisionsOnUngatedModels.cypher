// Decisions that rest on models that have not passed the approval gate (a lifecycle stage before
// APPROVED, or none recorded), with those models.
MATCH (model:AIModel)
WHERE NOT coalesce(model.lifecycleStage, 'UNKNOWN') IN $gatedStages
MATCH p = ANY SHORTEST (model)
  ((a:Entity)-[r]-(b:Entity)
    WHERE type(r) IN $types AND ((type(r) = 'INFORMS') = (startNode(r) = a))){1,50}
  (decision:Decision)
WHERE length(p) <= $maxDepth
WITH decision, model ORDER BY model.name
WITH decision, collect(model {.*}) AS sources
RETURN decision {.*} AS decision, sources
ORDER BY size(sources) DESC, decision.name
