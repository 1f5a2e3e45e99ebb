MATCH (k:ApiKey {id: $id})
RETURN k {.*} AS key
