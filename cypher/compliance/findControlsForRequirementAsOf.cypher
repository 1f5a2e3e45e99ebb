// findControlsForRequirement as it stood at $asOf: the claims that held then (live from validFrom,
// or a :WAS of SATISFIES valid then), each control as it stood then (itself, or its version valid
// then; a control retired since still counts). Crosswalks are catalogue and read as they are now.
// See findCoverageAsOf for the state of a record at an instant.
MATCH (start:Requirement {key: $key})
MATCH p = (start)-[:MAPS_TO*0..3]-(satisfied:Requirement)
WHERE length(p) <= $depth
  AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
MATCH (c)-[s:SATISFIES|WAS]->(satisfied)
WHERE CASE type(s) WHEN 'SATISFIES' THEN coalesce(s.validFrom, s.createdAt) <= $asOf
                   ELSE s.was = 'SATISFIES' AND s.validFrom <= $asOf AND $asOf < s.validTo END
WITH c, s, satisfied, p ORDER BY length(p), satisfied.framework, satisfied.order
WITH c, collect({s: s, satisfied: satisfied, p: p})[0] AS best
WITH c, best.s AS s, best.satisfied AS satisfied, best.p AS p,
     CASE WHEN c.updatedAt <= $asOf AND (c:Entity OR $asOf < c.retiredAt) THEN c { .* }
          ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: c.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
     END AS control
WHERE control IS NOT NULL
RETURN control,
       s.coverage AS coverage, s.rationale AS rationale,
       satisfied { .*, parentKeys: [(satisfied)-[:PART_OF]->(q:Requirement) | q.key] } AS satisfied,
       [i IN range(0, length(p) - 1) | {
         fromKey: startNode(relationships(p)[i]).key, toKey: endNode(relationships(p)[i]).key,
         forward: startNode(relationships(p)[i]) = nodes(p)[i],
         type: relationships(p)[i].type, source: relationships(p)[i].source, rationale: relationships(p)[i].rationale
       }] AS steps
ORDER BY length(p), control.name
