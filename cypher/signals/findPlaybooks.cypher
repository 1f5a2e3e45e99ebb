// The playbook for each scenario (the first by name when an organisation keeps several).
MATCH (playbook:Playbook)
WHERE playbook.scenario IN $categories AND playbook:Entity
WITH playbook ORDER BY playbook.name, playbook.id
WITH playbook.scenario AS scenario, collect(playbook)[0] AS playbook
RETURN scenario, playbook.id AS id
