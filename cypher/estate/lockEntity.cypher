// Reads a record under its write lock, held until the transaction ends: a version check or any
// read-then-write made on this row sees the last committed state and cannot be overtaken by a
// concurrent writer (Cypher's documented answer to lost updates: write to the node before reading it).
MATCH (n:Entity {id: $id})
SET n._lock = true
REMOVE n._lock
RETURN n {.*} AS entity
