// One node per OpenLineage run and source: the datasets its events named so far and its state, so
// that a COMPLETE naming the outputs adds to the START that named the inputs (see formats/openlineage).
CREATE CONSTRAINT openlineage_run_key IF NOT EXISTS FOR (r:OpenLineageRun) REQUIRE r.key IS UNIQUE;
