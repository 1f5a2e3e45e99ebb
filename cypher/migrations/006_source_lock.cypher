// One lock node per source: a write to a source's inventory takes it first, so calls on the same
// source run one after another while calls on different sources run in parallel. The constraint
// makes the first MERGE of a new source's lock safe under concurrency.
CREATE CONSTRAINT source_lock_name IF NOT EXISTS FOR (l:SourceLock) REQUIRE l.name IS UNIQUE;
