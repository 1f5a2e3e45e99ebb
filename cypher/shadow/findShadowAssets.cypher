// Discovered assets that are shadow AI now: neither dismissed nor linked to a registered record,
// each with who uses it (OWNED_BY) and the data it touches, for shadowAI's groups.
MATCH (found:Entity:DiscoveredAsset)
WHERE found.dismissedReason IS NULL
  AND NOT EXISTS { (found)-[:REGISTERED_AS]->(:Entity) }
RETURN found {.*} AS found,
  COLLECT { MATCH (found)-[:OWNED_BY]->(owner:Entity) RETURN owner {.*} AS owner ORDER BY owner.name, owner.id } AS owners,
  COLLECT { MATCH (found)-[:TOUCHES]->(data:Entity) RETURN data {.*} AS data ORDER BY data.name, data.id } AS datasets
ORDER BY found.name, found.id
