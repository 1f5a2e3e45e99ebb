UNWIND $ids AS id
MATCH (n:Entity {id: id}) USING INDEX n:Entity(id)
RETURN n {.*} AS entity
