// The agents whose tool use monitoring reports (a TOOL_USE bucket written by $asOf, or ever when it
// is null), each with the tools of its buckets whose hour began at or after $since.
UNWIND $agentIds AS agentId
MATCH (b:SignalBucket {assetId: agentId, kind: 'TOOL_USE'})
WHERE $asOf IS NULL OR b.createdAt <= $asOf
WITH agentId, collect(CASE WHEN b.windowStart >= $since THEN b.toolId END) AS toolIds
RETURN agentId, toolIds
