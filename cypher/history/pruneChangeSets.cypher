// Retention (npm run history -- prune): the change sets before the horizon, in batches of their own
// transactions. The prune runs this first, once the horizon's own change set is written (see
// history/retention.ts), so the oldest change set, which bounds asOf, never claims history that is
// gone. $source confines a prune to one source's history (tests share their database).
MATCH (c:ChangeSet)
WHERE c.at < $cutoff AND ($source IS NULL OR c.source = $source)
CALL (c) { DETACH DELETE c } IN TRANSACTIONS OF 1000 ROWS
RETURN count(*) AS removed
