// The live approvals of records (models, agents), with what decides whether they pass a gate.
UNWIND $ids AS id
MATCH (:Entity {id: id})<-[:APPROVES]-(approval:GateApproval)
RETURN id AS subjectId, approval { .id, .stage, .outcome, .decidedAt } AS approval
