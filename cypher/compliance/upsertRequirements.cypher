// Creates or updates requirements by key. Their place in the hierarchy is written separately
// (linkRequirementParents), once every parent of the batch exists.
UNWIND $rows AS row
MERGE (r:Requirement {key: row.key})
SET r.framework = row.framework, r.identifier = row.identifier, r.kind = row.kind, r.title = row.title,
    r.summary = row.summary, r.officialText = row.officialText, r.order = row.order
