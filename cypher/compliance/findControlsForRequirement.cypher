// Controls that satisfy a requirement directly (a route of length 0) or satisfy a requirement
// that crosswalks relate to it (at most $depth mappings away). Each control appears once, by its
// shortest route, so a direct claim always wins over an inferred one.
MATCH (start:Requirement {key: $key})
MATCH p = (start)-[:MAPS_TO*0..3]-(satisfied:Requirement)
WHERE length(p) <= $depth
  AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
MATCH (c:Entity:Control)-[s:SATISFIES]->(satisfied)
WITH c, s, satisfied, p ORDER BY length(p), satisfied.framework, satisfied.order
WITH c, collect({s: s, satisfied: satisfied, p: p})[0] AS best
WITH c, best.s AS s, best.satisfied AS satisfied, best.p AS p
RETURN c {.*} AS control,
       s.coverage AS coverage, s.rationale AS rationale,
       satisfied { .*, parentKeys: [(satisfied)-[:PART_OF]->(q:Requirement) | q.key] } AS satisfied,
       [i IN range(0, length(p) - 1) | {
         fromKey: startNode(relationships(p)[i]).key, toKey: endNode(relationships(p)[i]).key,
         forward: startNode(relationships(p)[i]) = nodes(p)[i],
         type: relationships(p)[i].type, source: relationships(p)[i].source, rationale: relationships(p)[i].rationale
       }] AS steps
ORDER BY length(p), c.name
