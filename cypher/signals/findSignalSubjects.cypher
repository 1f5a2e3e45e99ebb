// The records a batch of signals names, by id or by key, with only what checking and judging the
// batch reads: a batch of 500 names hundreds of assets, and whole records cost it a fifth of its
// time. Retired records are not found: signals are about live assets.
CALL {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN n
  UNION
  UNWIND $keys AS key
  MATCH (n:Entity {key: key})
  RETURN n
}
RETURN n {.id, .key, .type, .name, .source, .riskTier} AS subject
