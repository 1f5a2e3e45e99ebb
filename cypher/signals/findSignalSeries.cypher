// One asset's buckets and kept signals from $from to $to (hour starts and instants, inclusive),
// of the given kinds (null: all), oldest first: a chart's series.
CALL () {
  MATCH (b:SignalBucket {assetId: $assetId})
  WHERE $from <= b.windowStart <= $to AND ($kinds IS NULL OR b.kind IN $kinds)
  WITH b ORDER BY b.windowStart, b.kind, b.toolId
  RETURN collect(b {.*}) AS buckets
}
CALL () {
  MATCH (s:Signal {assetId: $assetId})
  WHERE $from <= s.at <= $to AND ($kinds IS NULL OR s.kind IN $kinds)
  WITH s ORDER BY s.at, s.receivedAt
  RETURN collect(s {.*}) AS signals
}
RETURN buckets, signals
