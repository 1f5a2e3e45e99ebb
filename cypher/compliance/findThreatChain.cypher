// From an ATLAS technique or a risk (OWASP LLM, SAIF) to the organisation: the techniques involved
// (the start, plus techniques crosswalked from a risk, plus sub-techniques), the mitigations that map
// to them (and the controls a risk's own framework lists for it), the controls that implement those
// mitigations or address the start directly, the assets those controls apply to, and every
// requirement the controls satisfy.
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
  MATCH (c:Entity:Control)-[s:SATISFIES]->(target)
  WITH c, collect(DISTINCT {key: target.key, coverage: s.coverage}) AS implements
  ORDER BY c.name
  RETURN collect({
    control: c {.*},
    implements: implements,
    assets: [(c)-[:APPLIES_TO]->(a:Entity) | a {.*}],
    requirements: [(c)-[x:SATISFIES]->(q:Requirement) | {requirement: q { .*, parentKeys: [(q)-[:PART_OF]->(pp:Requirement) | pp.key] }, coverage: x.coverage, rationale: x.rationale}]
  }) AS controls
}
RETURN start { .*, parentKeys: [(start)-[:PART_OF]->(q:Requirement) | q.key] } AS start,
       [t IN techniques | t { .*, parentKeys: [(t)-[:PART_OF]->(q:Requirement) | q.key] }] AS techniques,
       mitigations,
       controls
