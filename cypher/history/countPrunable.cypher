// What the retention prune would remove before $cutoff (its dry run, and its report's check): the
// same sets the prune*.cypher files delete. $source and $framework confine it as they do there.
CALL {
  MATCH (c:ChangeSet)
  WHERE c.at < $cutoff AND ($source IS NULL OR c.source = $source)
  RETURN count(c) AS changeSets
}
CALL {
  MATCH (v:EntityVersion)
  WHERE v.validTo < $cutoff AND ($source IS NULL OR v.source = $source)
  RETURN count(v) AS versions
}
CALL {
  MATCH (a)-[w:WAS]->()
  WHERE w.validTo < $cutoff AND ($source IS NULL OR a.source = $source)
  RETURN count(w) AS relationships
}
CALL {
  MATCH (n:Retired)
  WHERE n.retiredAt < $cutoff AND ($source IS NULL OR n.source = $source)
  RETURN count(n) AS retired
}
CALL {
  MATCH (d:Applicability)
  WHERE d.withdrawnAt < $cutoff AND ($framework IS NULL OR d.requirementKey STARTS WITH $framework + '|')
  RETURN count(d) AS declarations
}
RETURN changeSets, versions, relationships, retired, declarations
