// One change set per unit of work (a sync call, an edit, a compromise): its events as parallel
// lists, so that a ten-thousand-record sync writes one node and one full-text entry instead of a
// node and two index entries per record and per link. Lists cannot hold nulls: '' stands for an
// absent relationship type or other end. `entityIndex` names every record an event touches (both
// ends of a link), for the full-text index that finds a record's history (migration 015).
CREATE (c:ChangeSet)
SET c = $changeSet
RETURN c.id AS id
