// The rule firings recorded on an incident, oldest first, each with the buckets and the kept
// signals of its window (the rule as it is now, or null once deleted).
MATCH (t:SignalTrigger {incidentId: $incidentId})
OPTIONAL MATCH (rule:SignalRule:Entity {id: t.ruleId})
WITH t, rule
ORDER BY t.at, t.createdAt
RETURN t {.*} AS trigger, rule {.*} AS rule,
  COLLECT {
    MATCH (b:SignalBucket {assetId: t.assetId, kind: t.kind})
    WHERE t.windowStart <= b.windowStart <= t.windowEnd
    RETURN b {.*} ORDER BY b.windowStart, b.toolId
  } AS buckets,
  COLLECT {
    MATCH (s:Signal {assetId: t.assetId})
    WHERE t.windowStart <= s.at AND s.at < t.windowEnd + duration('PT1H') AND s.kind = t.kind
    RETURN s {.*} ORDER BY s.at
  } AS signals
