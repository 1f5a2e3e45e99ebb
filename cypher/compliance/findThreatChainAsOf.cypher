// findThreatChain as it stood at $asOf: the techniques and mitigations come from the catalogue and
// its crosswalks, read as they are now; the organisation's side as it stood then: the claims that
// held then (live from validFrom, or a :WAS of SATISFIES valid then), each control and the assets it
// applied to then, as they stood then. See findCoverageAsOf for the state of a record at an instant.
MATCH (start:Requirement {key: $key})
CALL {
  WITH start
  OPTIONAL MATCH (start)-[:MAPS_TO]-(t:Requirement {kind: 'TECHNIQUE'})
  WITH start, collect(DISTINCT t) AS mapped
  WITH [x IN mapped + CASE WHEN start.kind = 'TECHNIQUE' THEN [start] ELSE [] END | x] AS base
  UNWIND CASE WHEN size(base) = 0 THEN [null] ELSE base END AS b
  OPTIONAL MATCH (sub:Requirement {kind: 'TECHNIQUE'})-[:PART_OF]->(b)
  WITH base, collect(DISTINCT sub) AS subs
  RETURN [x IN base + subs WHERE x IS NOT NULL] AS techniques
}
CALL {
  WITH start, techniques
  // A risk's own framework may list the controls that answer it (SAIF's risk map does): those
  // controls join the chain as mitigations of the risk itself.
  WITH techniques + CASE WHEN start.kind = 'RISK' THEN [start] ELSE [] END AS targets
  UNWIND CASE WHEN size(targets) = 0 THEN [null] ELSE targets END AS t
  OPTIONAL MATCH (m:Requirement)-[:MAPS_TO]-(t)
  WHERE m.kind = 'MITIGATION' OR (t.kind = 'RISK' AND m.kind = 'CONTROL' AND m.framework = t.framework)
  WITH m, collect(DISTINCT t.key) AS addresses
  WHERE m IS NOT NULL
  RETURN collect(m) AS mitigationNodes,
         collect({mitigation: m { .*, parentKeys: [] }, addresses: addresses}) AS mitigations
}
CALL {
  WITH start, techniques, mitigationNodes
  WITH [start] + techniques + mitigationNodes AS targets
  UNWIND targets AS target
  MATCH (c)-[s:SATISFIES|WAS]->(target)
  WHERE CASE type(s) WHEN 'SATISFIES' THEN coalesce(s.validFrom, s.createdAt) <= $asOf
                     ELSE s.was = 'SATISFIES' AND s.validFrom <= $asOf AND $asOf < s.validTo END
  WITH c, collect(DISTINCT {key: target.key, coverage: s.coverage}) AS implements
  WITH c, implements,
       CASE WHEN c.updatedAt <= $asOf AND (c:Entity OR $asOf < c.retiredAt) THEN c { .* }
            ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: c.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
       END AS control
  WHERE control IS NOT NULL
  ORDER BY control.name
  RETURN collect({
    control: control,
    implements: implements,
    assets: COLLECT {
      MATCH (c)-[x:APPLIES_TO|WAS]->(a)
      WHERE CASE type(x) WHEN 'APPLIES_TO' THEN coalesce(x.validFrom, x.createdAt) <= $asOf
                         ELSE x.was = 'APPLIES_TO' AND x.validFrom <= $asOf AND $asOf < x.validTo END
      WITH DISTINCT a
      WITH CASE WHEN a.updatedAt <= $asOf AND (a:Entity OR $asOf < a.retiredAt) THEN a { .* }
                ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: a.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
           END AS state
      WHERE state IS NOT NULL
      RETURN state
    },
    requirements: COLLECT {
      MATCH (c)-[x:SATISFIES|WAS]->(q:Requirement)
      WHERE CASE type(x) WHEN 'SATISFIES' THEN coalesce(x.validFrom, x.createdAt) <= $asOf
                         ELSE x.was = 'SATISFIES' AND x.validFrom <= $asOf AND $asOf < x.validTo END
      RETURN {requirement: q { .*, parentKeys: [(q)-[:PART_OF]->(pp:Requirement) | pp.key] }, coverage: x.coverage, rationale: x.rationale}
    }
  }) AS controls
}
RETURN start { .*, parentKeys: [(start)-[:PART_OF]->(q:Requirement) | q.key] } AS start,
       [t IN techniques | t { .*, parentKeys: [(t)-[:PART_OF]->(q:Requirement) | q.key] }] AS techniques,
       mitigations,
       controls
