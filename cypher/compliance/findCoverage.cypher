// The whole coverage map of one or more frameworks in one round trip: every assessable requirement
// in scope, and the controls, evidence and owners its status is decided from.
//
// Scope: with neither $assetId nor a risk tier, every requirement. A risk tier ($riskTier, or the
// asset's own riskTier) selects the requirements under the anchors $tierAnchors gives for that
// framework and tier (e.g. the AI Act's high-risk obligations). An asset adds the requirements its
// controls (APPLIES_TO the asset) satisfy, and only those controls count towards statuses.
//
// Each row holds what its status is decided from (coverageStatus in src/compliance/coverage.ts):
// the active not-applicable declaration, and the controls claiming the requirement itself with
// their evidence. Crosswalks are not followed here: an auditor accepts a control mapped to the
// requirement itself, not an inferred one.
OPTIONAL MATCH (asset:Entity {id: $assetId})
WITH asset, coalesce($riskTier, asset.riskTier) AS tier
CALL {
  WITH asset, tier
  MATCH (r:Requirement)
  WHERE r.framework IN $frameworks AND r.kind IN $kinds
  WITH asset, tier, r, [(r)-[:PART_OF*0..6]->(a:Requirement) | a.identifier] AS lineage,
       $tierAnchors[r.framework][tier] AS anchors
  OPTIONAL MATCH (na:Applicability)-[:NOT_APPLICABLE_TO]->(r) WHERE na.withdrawnAt IS NULL
  CALL {
    WITH r, asset
    MATCH (c:Entity:Control)-[s:SATISFIES]->(r)
    WHERE asset IS NULL OR (c)-[:APPLIES_TO]->(asset)
    WITH c, s ORDER BY c.name
    RETURN collect({
      control: c {.*},
      coverage: s.coverage,
      rationale: s.rationale,
      evidence: [(e:Entity:Evidence)-[:SUPPORTS]->(c) | e { .*,
                  expired: e.expiresAt IS NOT NULL AND e.expiresAt < datetime($now) }],
      owners: [(c)-[:OWNED_BY]->(o:Entity:Owner) | o {.*}]
    }) AS controls
  }
  WITH r, lineage, anchors, na, controls
  WHERE (asset IS NULL AND tier IS NULL)
     OR (anchors IS NOT NULL AND any(id IN lineage WHERE id IN anchors))
     OR (asset IS NOT NULL AND size(controls) > 0)
  WITH r, na, controls,
       head([(r)-[:PART_OF*0..6]->(t:Requirement)-[:PART_OF]->(:Framework) | t { .identifier, .title, .kind }]) AS top
  ORDER BY r.framework, r.order
  RETURN collect({
    requirement: r { .*, parentKeys: [(r)-[:PART_OF]->(q:Requirement) | q.key] },
    notApplicable: na { .* },
    controls: controls,
    top: top
  }) AS rows
}
RETURN asset IS NOT NULL AS assetFound, asset.type AS assetType, tier, rows,
       COLLECT { MATCH (f:Framework) WHERE f.key IN $frameworks RETURN f { .* } } AS frameworks
