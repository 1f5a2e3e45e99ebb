// Taken first in every catalogue load: the MERGE on a uniquely constrained key locks this node until
// the transaction ends, so two processes loading at once run one after the other instead of racing
// on relationship MERGEs (which no constraint protects). Returns the fingerprint of the last load.
MERGE (l:CatalogueLoad {key: $key})
SET l.lockedAt = datetime()
RETURN l.fingerprint AS fingerprint
