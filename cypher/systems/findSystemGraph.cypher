// What a classification proposal reads of one system: its parts (models and agents PART_OF it) with
// the vendors that provide them and the models they are based on, and the decisions it drives or
// its parts inform, each saying through what.
MATCH (s:Entity:AISystem {id: $systemId})
RETURN s {.*} AS system,
       COLLECT {
         MATCH (p:Entity)-[:PART_OF]->(s)
         RETURN {
           part: p {.*},
           vendors: [(p)-[:PROVIDED_BY]->(v:Entity:Vendor) | v.name],
           basedOn: [(p)-[:BASED_ON]->(b:Entity:AIModel) | { name: b.name, vendors: [(b)-[:PROVIDED_BY]->(w:Entity:Vendor) | w.name] }]
         } AS part ORDER BY p.name
       } AS parts,
       [(s)-[:DRIVES]->(d:Entity:Decision) | { decision: d {.*}, via: 'driven by the system' }]
       + COLLECT {
         MATCH (p:Entity)-[:PART_OF]->(s)
         MATCH (p)-[:INFORMS]->(d:Entity:Decision)
         RETURN { decision: d {.*}, via: 'informed by ' + p.name } AS decision ORDER BY d.name
       } AS decisions
