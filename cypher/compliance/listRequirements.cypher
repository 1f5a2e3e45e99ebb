// A framework's requirements in catalogue order, optionally of some kinds or matching a text.
MATCH (r:Requirement)
WHERE r.framework = $framework
  AND ($kinds IS NULL OR r.kind IN $kinds)
  AND ($text IS NULL OR toLower(r.identifier) CONTAINS $text OR toLower(r.title) CONTAINS $text
       OR toLower(coalesce(r.summary, '')) CONTAINS $text)
RETURN r { .*, parentKeys: [(r)-[:PART_OF]->(p:Requirement) | p.key] } AS requirement
ORDER BY r.order
