// Includes or excludes a control: ends the decision in force, of either kind, and records the new
// one. The requirement is written to first (as estate/lockEntity does) and the instant taken after
// that lock, so two callers deciding at once run one after the other: the second ends the first's
// decision at a later instant instead of leaving two in force. $at dates a demo's decision.
MATCH (r:Requirement {key: $requirementKey})
SET r._lock = true
REMOVE r._lock
WITH r, coalesce($at, datetime.truncate('millisecond', datetime.realtime())) AS now
CALL (r, now) {
  OPTIONAL MATCH (old:Applicability)-[:APPLICABLE_TO|NOT_APPLICABLE_TO]->(r) WHERE old.withdrawnAt IS NULL
  SET old.withdrawnAt = now, old.withdrawnBy = $actor
  RETURN count(old) AS ended
}
CREATE (a:Applicability {id: $id, requirementKey: r.key, declaredBy: $actor, declaredAt: now})
SET a.rationale = $justification
FOREACH (_ IN CASE WHEN $included THEN [1] ELSE [] END | CREATE (a)-[:APPLICABLE_TO]->(r))
FOREACH (_ IN CASE WHEN $included THEN [] ELSE [1] END | CREATE (a)-[:NOT_APPLICABLE_TO]->(r))
RETURN a.id AS id, ended
