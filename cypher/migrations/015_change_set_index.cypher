// A record's history is found through a full-text index on the ids each change set touches: list
// membership has no range index, and one Lucene entry per change set is far cheaper to write than
// an index entry per event. The index is eventually consistent: a synchronous full-text index
// refreshes Lucene inside every committing write (10 to 25 ms of Neo4j CPU each, a quarter of a
// 10,000-item sync's time), while history reads, the only readers, first wait for the refresh
// (estate/findHistory.cypher). It replaces change_set_entities, the synchronous one of migration 008.
DROP INDEX change_set_entities IF EXISTS;
CREATE FULLTEXT INDEX change_set_records IF NOT EXISTS FOR (c:ChangeSet) ON EACH [c.entityIndex] OPTIONS { indexConfig: { `fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: true } };
