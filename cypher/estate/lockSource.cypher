// Takes a source's write lock for the rest of the transaction (see migration 006). Everything a
// sync reads after this is what it then writes: no other call on the source can interleave.
MERGE (l:SourceLock {name: $source})
SET l.lockedAt = $now
RETURN l.name AS source
