// Models and agents (of $source, when given) at a stage behind a gate ($gateOfStage) without a
// passing approval of that gate (the latest by decidedAt, $passingOutcomes), with that latest
// approval and the gate-exception Risk ($tag) recorded for them.
CALL () { MATCH (record:AIModel) RETURN record UNION ALL MATCH (record:Agent) RETURN record }
WITH record, $gateOfStage[record.lifecycleStage] AS gate
WHERE gate IS NOT NULL AND ($source IS NULL OR record.source = $source)
WITH record, gate, COLLECT { MATCH (record)<-[:APPROVES]-(approval:GateApproval) WHERE approval.stage = gate
                             RETURN approval {.*} ORDER BY approval.decidedAt DESC, approval.id DESC LIMIT 1 }[0] AS latest
WHERE latest IS NULL OR NOT latest.outcome IN $passingOutcomes
RETURN record {.*} AS record, gate, latest,
       COLLECT { MATCH (record)<-[:THREATENS]-(risk:Risk) WHERE $tag IN risk.tags AND 'gate:' + gate IN risk.tags
                 RETURN risk {.*} ORDER BY risk.updatedAt DESC LIMIT 1 }[0] AS exception
ORDER BY record.name, record.id
