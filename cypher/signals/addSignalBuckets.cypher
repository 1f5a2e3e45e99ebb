// Adds a batch to its hourly buckets, in key order, then returns each rule window's total after
// the batch. The write to each bucket comes before any read of it, so that two batches adding to
// one hour serialise on its lock and neither loses the other's counts (as estate/lockEntity); the
// unique key makes two batches creating one hour's bucket make one. Writing and counting are one
// statement, and the last of the transaction before its commit, because the buckets' locks are
// held from here to the commit: every round trip after this one would be a wait for the next batch
// that shares a bucket.
UNWIND $rows AS row
MERGE (b:SignalBucket {key: row.key})
ON CREATE SET b.assetId = row.assetId, b.kind = row.kind, b.toolId = row.toolId, b.windowStart = row.windowStart,
              b.count = 0, b.severityRank = 0, b.lastAt = row.lastAt, b.createdAt = $now
SET b._lock = true
REMOVE b._lock
WITH b, row
SET b.count = b.count + row.count,
    b.severityRank = CASE WHEN row.severityRank > b.severityRank THEN row.severityRank ELSE b.severityRank END,
    b.minValue = CASE WHEN row.minValue IS NULL THEN b.minValue WHEN b.minValue IS NULL OR row.minValue < b.minValue THEN row.minValue ELSE b.minValue END,
    b.maxValue = CASE WHEN row.maxValue IS NULL THEN b.maxValue WHEN b.maxValue IS NULL OR row.maxValue > b.maxValue THEN row.maxValue ELSE b.maxValue END,
    b.lastValue = CASE WHEN row.lastValueAt IS NOT NULL AND (b.lastValueAt IS NULL OR row.lastValueAt >= b.lastValueAt) THEN row.lastValue ELSE b.lastValue END,
    b.lastValueAt = CASE WHEN row.lastValueAt IS NOT NULL AND (b.lastValueAt IS NULL OR row.lastValueAt >= b.lastValueAt) THEN row.lastValueAt ELSE b.lastValueAt END,
    b.lastAt = CASE WHEN row.lastAt > b.lastAt THEN row.lastAt ELSE b.lastAt END,
    b.updatedAt = $now
// The aggregation ends the writes before the windows are read, so the counts include this batch.
WITH count(b) AS written
UNWIND range(0, size($windows) - 1) AS index
WITH index, $windows[index] AS window
OPTIONAL MATCH (b:SignalBucket {assetId: window.assetId, kind: window.kind})
WHERE window.from <= b.windowStart <= window.to
RETURN index, coalesce(sum(b.count), 0) AS count
ORDER BY index
