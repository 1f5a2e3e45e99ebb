// What a Statement of Applicability reads beside the coverage rows of a framework's controls
// (findCoverage): every applicability decision on each control, inclusions (APPLICABLE_TO) and
// exclusions (NOT_APPLICABLE_TO) alike, newest first, and the risks that each implementing control
// treats (MITIGATED_BY), which justify including what it implements.
CALL {
  UNWIND $keys AS key
  MATCH (r:Requirement {key: key})
  RETURN collect({
    key: key,
    decisions: COLLECT {
      MATCH (a:Applicability)-[d:APPLICABLE_TO|NOT_APPLICABLE_TO]->(r)
      WITH a, d ORDER BY a.declaredAt DESC
      RETURN { id: a.id, included: type(d) = 'APPLICABLE_TO', justification: a.rationale, decidedBy: a.declaredBy,
               decidedAt: a.declaredAt, endedAt: a.withdrawnAt, endedBy: a.withdrawnBy }
    }
  }) AS decisions
}
CALL {
  UNWIND $controlIds AS id
  MATCH (c:Entity:Control {id: id})
  RETURN collect({
    controlId: id,
    risks: COLLECT { MATCH (risk:Entity:Risk)-[:MITIGATED_BY]->(c) WITH DISTINCT risk ORDER BY risk.name RETURN risk { .* } }
  }) AS risks
}
RETURN decisions, risks
