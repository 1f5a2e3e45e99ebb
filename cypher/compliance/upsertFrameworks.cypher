UNWIND $rows AS row
MERGE (f:Framework {key: row.key})
SET f.name = row.name, f.version = row.version, f.publisher = row.publisher, f.url = row.url,
    f.description = row.description, f.attribution = row.attribution, f.licence = row.licence,
    f.importedFrom = coalesce(row.importedFrom, f.importedFrom)
