// Retention: not-applicable declarations withdrawn before the horizon; the active ones (no
// withdrawnAt) are current state and stay. $framework confines a prune to one framework's
// requirements, as $source does elsewhere (tests share their database).
MATCH (d:Applicability)
WHERE d.withdrawnAt < $cutoff AND ($framework IS NULL OR d.requirementKey STARTS WITH $framework + '|')
CALL (d) { DETACH DELETE d } IN TRANSACTIONS OF 1000 ROWS
RETURN count(*) AS removed
