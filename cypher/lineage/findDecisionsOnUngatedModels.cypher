// Walk rules: see findReachable.cypher.
// Decisions that rest on models without a passing approval of the gate their stage requires
// ($requiredGate by stage, '' for none: src/gates/gateRule.ts), with those models. The latest
// approval of that gate by decidedAt counts; APPROVED and CONDITIONAL ($passingOutcomes) pass.
MATCH (root:AIModel)
WITH root, $requiredGate[coalesce(root.lifecycleStage, '')] AS gate
WHERE NOT coalesce(COLLECT { MATCH (root)<-[:APPROVES]-(approval:GateApproval) WHERE approval.stage = gate
                             RETURN approval.outcome ORDER BY approval.decidedAt DESC, approval.id DESC LIMIT 1 }[0], 'NONE') IN $passingOutcomes
MATCH p = ANY SHORTEST (root)
    (()<-[flow:$flowTypes]-()){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (decision:Decision)
WHERE length(p) <= $maxDepth
WITH decision, root ORDER BY root.name
WITH decision, collect(root {.*}) AS sources
RETURN decision {.*} AS decision, sources
ORDER BY size(sources) DESC, decision.name
