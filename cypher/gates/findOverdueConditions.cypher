// CONDITIONAL approvals (of $source, when given) whose conditions fell due before $at and were not
// met by then, with the records they admit.
MATCH (approval:GateApproval)
WHERE approval.outcome = 'CONDITIONAL' AND approval.conditionsDueAt < $at
  AND (approval.conditionsMetAt IS NULL OR approval.conditionsMetAt > $at)
  AND ($source IS NULL OR approval.source = $source)
RETURN approval {.*} AS approval,
       COLLECT { MATCH (approval)-[:APPROVES]->(subject:Entity) RETURN subject {.*} ORDER BY subject.name, subject.id } AS subjects
ORDER BY approval.conditionsDueAt, approval.id
