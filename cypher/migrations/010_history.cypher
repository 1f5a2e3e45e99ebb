// The past beside the present (see cypher/README.md, "History"): retired records by key and id (a
// record sent again is revived, not created twice), versions by record and start, change sets and
// ended relationships by instant (changes between two instants, the retention prune).
CREATE INDEX retired_key IF NOT EXISTS FOR (n:Retired) ON (n.key);
CREATE INDEX retired_id IF NOT EXISTS FOR (n:Retired) ON (n.id);
CREATE INDEX entity_version_entity IF NOT EXISTS FOR (v:EntityVersion) ON (v.entityId, v.validFrom);
CREATE INDEX entity_version_valid_to IF NOT EXISTS FOR (v:EntityVersion) ON (v.validTo);
CREATE INDEX change_set_at IF NOT EXISTS FOR (c:ChangeSet) ON (c.at);
CREATE INDEX was_valid_to IF NOT EXISTS FOR ()-[w:WAS]-() ON (w.validTo);
