// What is stored of the runs a batch of OpenLineage events adds to (see migration 009), read
// under the source's lock so that the events merge with what the last batch left.
UNWIND $keys AS key
MATCH (r:OpenLineageRun {key: key})
RETURN r { .key, .runId, .job, .inputs, .outputs, .state, .stateAt } AS run
