// Vendor concentration: the decisions each vendor sits behind, through the models, datasets and
// agents it provides (downstream walk, rules of findReachable).
MATCH (vendor:Vendor)
WITH vendor, COLLECT {
  MATCH p = ANY SHORTEST (vendor)
    ((a:Entity)-[r]-(b:Entity)
      WHERE type(r) IN $types AND ((type(r) = 'INFORMS') = (startNode(r) = a))){1,50}
    (decision:Decision)
  WHERE length(p) <= $maxDepth
  WITH decision ORDER BY decision.name
  RETURN decision {.*}
} AS decisions
WHERE size(decisions) > 0
RETURN vendor {.*} AS source, decisions
ORDER BY size(decisions) DESC, vendor.name
