// The playbook an incident follows, read in the transaction that records a step on it: of several,
// the one for the incident's own category (then by name), as Incident.steps shows.
MATCH (incident:Entity {id: $incidentId})-[:FOLLOWS]->(playbook:Entity:Playbook)
RETURN playbook {.*} AS playbook
ORDER BY CASE WHEN playbook.scenario = incident.category THEN 0 ELSE 1 END, playbook.name, playbook.id
LIMIT 1
