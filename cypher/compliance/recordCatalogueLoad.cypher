// Remembers what was loaded, so that a restart with unchanged seed files skips the work.
MATCH (l:CatalogueLoad {key: $key})
SET l.fingerprint = $fingerprint, l.loadedAt = datetime()
