// Creates or updates requirements by key. Their place in the hierarchy is written separately
// (linkRequirementParents), once every parent of the batch exists.
UNWIND $rows AS row
MERGE (r:Requirement {key: row.key})
SET r.framework = row.framework, r.identifier = row.identifier, r.kind = row.kind, r.title = row.title,
    r.summary = row.summary, r.officialText = row.officialText, r.order = row.order,
    // AI Act only; null removes them, so an entry that loses them in the seed loses them here too.
    r.roles = row.roles, r.categories = row.categories, r.appliesFrom = row.appliesFrom, r.bindsOperator = row.bindsOperator,
    r.condition = row.condition
