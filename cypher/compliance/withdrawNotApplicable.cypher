MATCH (a:Applicability)-[:NOT_APPLICABLE_TO]->(:Requirement {key: $requirementKey})
WHERE a.withdrawnAt IS NULL
SET a.withdrawnAt = $now, a.withdrawnBy = $actor
RETURN count(a) AS withdrawn
