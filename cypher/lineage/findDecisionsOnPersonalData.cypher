// Decisions that rest on datasets holding personal data, with those datasets.
MATCH (dataset:Dataset {containsPersonalData: true})
MATCH p = ANY SHORTEST (dataset)
  ((a:Entity)-[r]-(b:Entity)
    WHERE type(r) IN $types AND ((type(r) = 'INFORMS') = (startNode(r) = a))){1,50}
  (decision:Decision)
WHERE length(p) <= $maxDepth
WITH decision, dataset ORDER BY dataset.name
WITH decision, collect(dataset {.*}) AS sources
RETURN decision {.*} AS decision, sources
ORDER BY size(sources) DESC, decision.name
