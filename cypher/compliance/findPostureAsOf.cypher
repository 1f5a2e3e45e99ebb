// findPosture as it stood at $asOf: the models, risks and incidents that existed then (live ones,
// and those retired since, found among the :Retired by type), each as it stood then (itself, or its
// version valid then), counted and filtered by the same rules. See findCoverageAsOf for the state of
// a record at an instant.
CALL {
  CALL {
    MATCH (n:Entity:AIModel) RETURN n
    UNION
    MATCH (n:Retired {type: 'AIModel'}) RETURN n
  }
  WITH CASE WHEN n.updatedAt <= $asOf AND (n:Entity OR $asOf < n.retiredAt) THEN n { .* }
            ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: n.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
       END AS m
  WHERE m IS NOT NULL AND coalesce(m.status, 'ACTIVE') <> 'RETIRED'
  RETURN collect(coalesce(m.riskTier, 'UNCLASSIFIED')) AS tiers
}
CALL {
  CALL {
    MATCH (n:Entity:Risk) RETURN n
    UNION
    MATCH (n:Retired {type: 'Risk'}) RETURN n
  }
  WITH CASE WHEN n.updatedAt <= $asOf AND (n:Entity OR $asOf < n.retiredAt) THEN n { .* }
            ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: n.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
       END AS r
  WHERE r IS NOT NULL AND coalesce(r.status, 'IDENTIFIED') <> 'CLOSED'
  WITH r ORDER BY coalesce(r.residualScore, r.inherentScore, 0) DESC, r.name
  RETURN collect(r) AS openRisks
}
CALL {
  CALL {
    MATCH (n:Entity:Incident) RETURN n
    UNION
    MATCH (n:Retired {type: 'Incident'}) RETURN n
  }
  WITH CASE WHEN n.updatedAt <= $asOf AND (n:Entity OR $asOf < n.retiredAt) THEN n { .* }
            ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: n.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
       END AS i
  WHERE i IS NOT NULL AND coalesce(i.status, 'OPEN') IN ['OPEN', 'INVESTIGATING', 'CONTAINED']
  WITH i ORDER BY i.detectedAt DESC
  RETURN collect(i) AS openIncidents
}
RETURN tiers, openRisks, openIncidents
