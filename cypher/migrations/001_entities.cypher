// Every estate record carries the :Entity label beside its type label. `id` is the global id that
// GraphQL exposes; `key` (type|source|externalId) is what sync tools address, unique per source.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (n:Entity) REQUIRE n.key IS UNIQUE;
CREATE INDEX entity_source IF NOT EXISTS FOR (n:Entity) ON (n.source);
CREATE INDEX entity_status IF NOT EXISTS FOR (n:Entity) ON (n.status);
