// The signals kept one by one (at or above HIGH): found by asset and instant, never through the
// live graph, so that no traversal of the estate steps over them.
UNWIND $rows AS row
CREATE (s:Signal)
SET s = row, s.receivedAt = $now
RETURN count(s) AS created
