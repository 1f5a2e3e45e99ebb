// Requirements reachable from one requirement through crosswalks (MAPS_TO, either direction), at
// most $depth mappings away, each by its shortest route. The upper bound must be a literal, so the
// pattern allows 3 and $depth (validated to 1..3) trims. Routes never revisit a requirement.
MATCH (start:Requirement {key: $key})
MATCH p = (start)-[:MAPS_TO*1..3]-(other:Requirement)
WHERE length(p) <= $depth
  AND other <> start
  AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
  AND ($frameworks IS NULL OR other.framework IN $frameworks)
WITH other, p ORDER BY length(p)
WITH other, collect(p)[0] AS p
RETURN other { .*, parentKeys: [(other)-[:PART_OF]->(q:Requirement) | q.key] } AS requirement,
       [i IN range(0, length(p) - 1) | {
         fromKey: startNode(relationships(p)[i]).key, toKey: endNode(relationships(p)[i]).key,
         forward: startNode(relationships(p)[i]) = nodes(p)[i],
         type: relationships(p)[i].type, source: relationships(p)[i].source, rationale: relationships(p)[i].rationale
       }] AS steps
ORDER BY length(p), other.framework, other.order
