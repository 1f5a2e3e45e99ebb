// Lists read a page from the cursor on in (name, id) order; these indexes hold that order (the
// second within a type), so a page reads its own rows and stops. entity_type_name (type, name),
// which 001 created before, left ties on name to a sort; its prefix is now served by the
// type-first index, and keeping both would cost every record write one more index entry.
CREATE INDEX entity_name_id IF NOT EXISTS FOR (n:Entity) ON (n.name, n.id);
CREATE INDEX entity_type_name_id IF NOT EXISTS FOR (n:Entity) ON (n.type, n.name, n.id);
DROP INDEX entity_type_name IF EXISTS;
