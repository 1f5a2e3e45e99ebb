// The oldest instant the graph can answer for: its oldest change set (the first record written, or
// the retention horizon once older history is pruned). Read from the index on ChangeSet.at in order.
OPTIONAL MATCH (c:ChangeSet) WHERE c.at IS NOT NULL
WITH c ORDER BY c.at LIMIT 1
RETURN c.at AS oldest
