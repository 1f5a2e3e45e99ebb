// Requirements a control satisfies directly, and those crosswalks relate to them (at most $depth
// mappings away). Each requirement appears once, by its shortest route: direct wins.
MATCH (c:Entity:Control {id: $controlId})-[s:SATISFIES]->(satisfied:Requirement)
MATCH p = (satisfied)-[:MAPS_TO*0..3]-(target:Requirement)
WHERE length(p) <= $depth
  AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
  AND ($frameworks IS NULL OR target.framework IN $frameworks)
WITH s, satisfied, target, p ORDER BY length(p), satisfied.framework, satisfied.order
WITH target, collect({s: s, satisfied: satisfied, p: p})[0] AS best
WITH target, best.s AS s, best.satisfied AS satisfied, best.p AS p
RETURN target { .*, parentKeys: [(target)-[:PART_OF]->(q:Requirement) | q.key] } AS requirement,
       s.coverage AS coverage, s.rationale AS rationale,
       satisfied { .*, parentKeys: [(satisfied)-[:PART_OF]->(q:Requirement) | q.key] } AS satisfied,
       [i IN range(0, length(p) - 1) | {
         fromKey: startNode(relationships(p)[i]).key, toKey: endNode(relationships(p)[i]).key,
         forward: startNode(relationships(p)[i]) = nodes(p)[i],
         type: relationships(p)[i].type, source: relationships(p)[i].source, rationale: relationships(p)[i].rationale
       }] AS steps
ORDER BY length(p), target.framework, target.order
