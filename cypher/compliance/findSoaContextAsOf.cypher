// findSoaContext as it stood at $asOf (inclusive; cypher/README.md, "History"): the decisions made
// by then, each ended only if it had ended by then, and the risks whose MITIGATED_BY held then, in
// their state of then. The controls ($controlIds) are those the as-of coverage rows found at $asOf,
// so some may be retired since.
CALL {
  UNWIND $keys AS key
  MATCH (r:Requirement {key: key})
  RETURN collect({
    key: key,
    decisions: COLLECT {
      MATCH (a:Applicability)-[d:APPLICABLE_TO|NOT_APPLICABLE_TO]->(r)
      WHERE a.declaredAt <= $asOf
      WITH a, d, a.withdrawnAt IS NOT NULL AND a.withdrawnAt <= $asOf AS ended
      ORDER BY a.declaredAt DESC
      RETURN { id: a.id, included: type(d) = 'APPLICABLE_TO', justification: a.rationale, decidedBy: a.declaredBy,
               decidedAt: a.declaredAt, endedAt: CASE WHEN ended THEN a.withdrawnAt END,
               endedBy: CASE WHEN ended THEN a.withdrawnBy END }
    }
  }) AS decisions
}
CALL {
  UNWIND $controlIds AS id
  CALL (id) {
    MATCH (n:Entity {id: id}) RETURN n AS c
    UNION
    MATCH (n:Retired {id: id}) RETURN n AS c
  }
  RETURN collect({
    controlId: id,
    risks: COLLECT {
      MATCH (risk)-[m:MITIGATED_BY|WAS]->(c)
      WHERE CASE type(m) WHEN 'MITIGATED_BY' THEN coalesce(m.validFrom, m.createdAt) <= $asOf
                         ELSE m.was = 'MITIGATED_BY' AND m.validFrom <= $asOf AND $asOf < m.validTo END
      WITH DISTINCT risk
      WITH CASE WHEN risk.updatedAt <= $asOf AND (risk:Entity OR $asOf < risk.retiredAt) THEN risk { .* }
                ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: risk.id}) WHERE v.validFrom <= $asOf
                       WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                       WITH v WHERE $asOf < v.validTo RETURN v { .* } })
           END AS state
      WHERE state IS NOT NULL
      WITH state ORDER BY state.name
      RETURN state
    }
  }) AS risks
}
RETURN decisions, risks
