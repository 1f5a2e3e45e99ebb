// Registered records of $types named exactly as a discovery source names what it found, on the
// entity_type_name_id index: what a discovery matches is registered, not shadow AI.
UNWIND $types AS type
MATCH (known:Entity)
WHERE known.type = type AND known.name IN $names AND known.id IS NOT NULL
RETURN known.name AS name, known.id AS id
