// The playbook an incident opened for a scenario follows: the programme's own (source $preferred)
// before any other source's, then by name, so that the choice is the same every time.
MATCH (playbook:Entity:Playbook)
WHERE playbook.scenario = $scenario
RETURN playbook {.*} AS playbook
ORDER BY CASE WHEN playbook.source = $preferred THEN 0 ELSE 1 END, playbook.name, playbook.id
LIMIT 1
