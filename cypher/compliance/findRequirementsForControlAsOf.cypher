// findRequirementsForControl as it stood at $asOf, in one row: the control as it stood then (null
// when it did not exist then; one retired since is found among the :Retired), and the requirements
// its claims that held then reach, each by its shortest route. Crosswalks are catalogue and read as
// they are now. See findCoverageAsOf for the state of a record at an instant.
OPTIONAL CALL {
  MATCH (n:Entity {id: $controlId}) RETURN n AS c
  UNION
  MATCH (n:Retired {id: $controlId}) RETURN n AS c
}
WITH c,
     CASE WHEN c.updatedAt <= $asOf AND (c:Entity OR $asOf < c.retiredAt) THEN c { .* }
          ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: c.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
     END AS control
CALL {
  WITH c, control
  WITH c WHERE control IS NOT NULL
  MATCH (c)-[s:SATISFIES|WAS]->(satisfied:Requirement)
  WHERE CASE type(s) WHEN 'SATISFIES' THEN coalesce(s.validFrom, s.createdAt) <= $asOf
                     ELSE s.was = 'SATISFIES' AND s.validFrom <= $asOf AND $asOf < s.validTo END
  MATCH p = (satisfied)-[:MAPS_TO*0..3]-(target:Requirement)
  WHERE length(p) <= $depth
    AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
    AND ($frameworks IS NULL OR target.framework IN $frameworks)
  WITH s, satisfied, target, p ORDER BY length(p), satisfied.framework, satisfied.order
  WITH target, collect({s: s, satisfied: satisfied, p: p})[0] AS best
  WITH target, best.s AS s, best.satisfied AS satisfied, best.p AS p
  ORDER BY length(p), target.framework, target.order
  RETURN collect({
    requirement: target { .*, parentKeys: [(target)-[:PART_OF]->(q:Requirement) | q.key] },
    coverage: s.coverage, rationale: s.rationale,
    satisfied: satisfied { .*, parentKeys: [(satisfied)-[:PART_OF]->(q:Requirement) | q.key] },
    steps: [i IN range(0, length(p) - 1) | {
      fromKey: startNode(relationships(p)[i]).key, toKey: endNode(relationships(p)[i]).key,
      forward: startNode(relationships(p)[i]) = nodes(p)[i],
      type: relationships(p)[i].type, source: relationships(p)[i].source, rationale: relationships(p)[i].rationale
    }]
  }) AS matches
}
RETURN control, matches
