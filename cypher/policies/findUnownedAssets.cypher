// Assets of $types (of $source, when given) that nobody is accountable for now (no OWNED_BY), by
// type, name and id: how many, and the first $first of them.
MATCH (asset:Entity)
WHERE asset.type IN $types AND ($source IS NULL OR asset.source = $source) AND asset.name IS NOT NULL AND asset.id IS NOT NULL
  AND NOT EXISTS { (asset)-[:OWNED_BY]->(:Entity) }
WITH asset ORDER BY asset.type, asset.name, asset.id
WITH collect(asset {.*}) AS unowned
RETURN size(unowned) AS total, unowned[0..$first] AS items
