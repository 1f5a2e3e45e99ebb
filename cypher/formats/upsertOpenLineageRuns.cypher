// Runs as their events added up (formats/openlineage/runs.ts); written in the sync's transaction,
// under the source's lock, so MERGE on the unique key never races another writer.
UNWIND $rows AS row
MERGE (r:OpenLineageRun {key: row.key})
SET r += row.properties, r.source = $source, r.updatedAt = $now
RETURN count(r) AS written
