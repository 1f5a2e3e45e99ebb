// The newest change set's instant: a dated write may not precede it (history is only appended).
OPTIONAL MATCH (c:ChangeSet) WHERE c.at IS NOT NULL
WITH c ORDER BY c.at DESC LIMIT 1
RETURN c.at AS newest
