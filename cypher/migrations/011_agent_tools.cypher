// Agents' allowedTools / allowedActions strings become Tool records and relationships (issue 16).
// Each distinct string is one Tool under the source `migration-011-allowlists` (externalId
// `tool:<name>` or `action:<name>`, kind OTHER or ACTION): the strings name no owner or system of
// record, so the migration owns what it creates, and a sync tool that later sends a real Tool
// links it itself. The strings were the owner's declared allow-list, so each becomes both the grant
// (CAN_USE) and the owner's approval (APPROVED_USE), unscoped (every scope of the tool): migrated
// agents are not reported over-privileged for what they were already allowed.
// Migrations run at every start, so each statement writes only what is missing, and never brings
// back what someone removed since: a retired migrated Tool stays retired, a cut grant (now a WAS)
// stays cut. The strings stay on the agents (deprecated in the schema): removing them would change
// every agent's state, which history would have to version for no gain. Each statement that writes
// records one change set, so history and changes() see the tools and links appear.
MATCH (agent:Entity:Agent)
WHERE agent.allowedTools IS NOT NULL OR agent.allowedActions IS NOT NULL
UNWIND [name IN coalesce(agent.allowedTools, []) | ['tool', name, 'OTHER']] + [name IN coalesce(agent.allowedActions, []) | ['action', name, 'ACTION']] AS entry
WITH DISTINCT entry[0] + ':' + entry[1] AS externalId, entry[1] AS name, entry[2] AS kind
WITH externalId, name, kind, 'Tool|migration-011-allowlists|' + externalId AS key
WHERE NOT EXISTS { MATCH (tool:Entity:Tool {key: key}) } AND NOT EXISTS { MATCH (gone:Retired {key: key}) }
WITH collect({externalId: externalId, name: name, kind: kind, key: key}) AS rows, datetime() AS now
WHERE size(rows) > 0
CALL (rows, now) {
  UNWIND rows AS row
  CREATE (tool:Entity:Tool)
  SET tool.id = randomUUID(), tool.key = row.key, tool.type = 'Tool', tool.source = 'migration-011-allowlists',
      tool.externalId = row.externalId, tool.name = row.name, tool.kind = row.kind,
      tool.createdAt = now, tool.updatedAt = now, tool.version = 1
  RETURN collect(tool.id) AS ids
}
CREATE (changeSet:ChangeSet)
SET changeSet.id = randomUUID(), changeSet.at = now, changeSet.actor = 'migration 011', changeSet.source = 'migration-011-allowlists',
    changeSet.entityIndex = reduce(text = head(ids), id IN tail(ids) | text + ' ' + id),
    changeSet.actions = [id IN ids | 'CREATE'], changeSet.entityIds = ids, changeSet.entityTypes = [id IN ids | 'Tool'],
    changeSet.relationshipTypes = [id IN ids | ''], changeSet.relatedIds = [id IN ids | ''], changeSet.changes = [id IN ids | '[]'];

MATCH (agent:Entity:Agent)
WHERE agent.allowedTools IS NOT NULL OR agent.allowedActions IS NOT NULL
UNWIND [name IN coalesce(agent.allowedTools, []) | 'tool:' + name] + [name IN coalesce(agent.allowedActions, []) | 'action:' + name] AS externalId
WITH DISTINCT agent, 'Tool|migration-011-allowlists|' + externalId AS key
MATCH (tool:Entity:Tool {key: key})
UNWIND ['CAN_USE', 'APPROVED_USE'] AS relType
WITH agent, tool, relType
WHERE NOT EXISTS { MATCH (agent)-[r]->(tool) WHERE type(r) = relType OR (type(r) = 'WAS' AND r.was = relType) }
WITH collect([agent, tool, relType]) AS links, datetime() AS now
WHERE size(links) > 0
CALL (links, now) {
  UNWIND links AS link
  WITH link[0] AS agent, link[1] AS tool, link[2] AS relType
  CREATE (agent)-[r:$(relType)]->(tool)
  SET r.createdAt = now, r.updatedAt = now, r.validFrom = now, r.sources = ['migration-011-allowlists']
}
CREATE (changeSet:ChangeSet)
SET changeSet.id = randomUUID(), changeSet.at = now, changeSet.actor = 'migration 011', changeSet.source = 'migration-011-allowlists',
    changeSet.entityIndex = reduce(text = '', link IN links | text + link[0].id + ' ' + link[1].id + ' '),
    changeSet.actions = [link IN links | 'LINK'], changeSet.entityIds = [link IN links | link[0].id], changeSet.entityTypes = [link IN links | 'Agent'],
    changeSet.relationshipTypes = [link IN links | link[2]], changeSet.relatedIds = [link IN links | link[1].id], changeSet.changes = [link IN links | '[]'];
