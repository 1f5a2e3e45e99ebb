// Each rule window's total after the batch: the buckets of one asset and kind from one hour to
// another (starts inclusive), read in the transaction that wrote the batch.
UNWIND range(0, size($windows) - 1) AS index
WITH index, $windows[index] AS window
OPTIONAL MATCH (b:SignalBucket {assetId: window.assetId, kind: window.kind})
WHERE window.from <= b.windowStart <= window.to
RETURN index, coalesce(sum(b.count), 0) AS count
ORDER BY index
