// findCoverage as it stood at $asOf (inclusive), in one round trip: the same rows, decided from the
// claims, controls, evidence, owners, asset links and not-applicable declarations that held then
// (cypher/README.md, "History"). A file of its own so that the current map's plan never pays for
// history. The catalogue (requirements, their hierarchy) is read as it is now: it is the published
// text the organisation is measured against, not the organisation's state.
//
// A record's state at $asOf, written out at each record below as history/findEntitiesAt reads it:
// the node itself when written at or before $asOf and not retired by then, else the newest version
// started by then (index on entityId, validFrom) if it had not ended, else nothing: it did not exist. A relationship held at $asOf when live from
// coalesce(validFrom, createdAt) <= $asOf, or a :WAS of its type with validFrom <= $asOf < validTo.
// States come back as stored; the service makes them records of that instant (recordAt), which
// also tells whether evidence had expired then.
OPTIONAL CALL {
  MATCH (n:Entity {id: $assetId}) RETURN n AS assetNode
  UNION
  MATCH (n:Retired {id: $assetId}) RETURN n AS assetNode
}
WITH assetNode,
     CASE WHEN assetNode.updatedAt <= $asOf AND (assetNode:Entity OR $asOf < assetNode.retiredAt) THEN assetNode { .* }
          ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: assetNode.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
     END AS asset
WITH assetNode, asset, coalesce($riskTier, asset.riskTier) AS tier
CALL {
  WITH assetNode, asset, tier
  MATCH (r:Requirement)
  WHERE r.framework IN $frameworks AND r.kind IN $kinds
  WITH assetNode, asset, tier, r, [(r)-[:PART_OF*0..6]->(a:Requirement) | a.identifier] AS lineage,
       $tierAnchors[r.framework][tier] AS anchors
  // The declaration in force at $asOf, as it stood then: a later withdrawal is not shown.
  CALL {
    WITH r
    OPTIONAL MATCH (na:Applicability)-[:NOT_APPLICABLE_TO]->(r)
    WHERE na.declaredAt <= $asOf AND (na.withdrawnAt IS NULL OR $asOf < na.withdrawnAt)
    WITH na ORDER BY na.declaredAt DESC LIMIT 1
    RETURN na { .*, withdrawnAt: null, withdrawnBy: null } AS na
  }
  CALL {
    WITH r, assetNode, asset
    MATCH (c)-[s:SATISFIES|WAS]->(r)
    WHERE CASE type(s) WHEN 'SATISFIES' THEN coalesce(s.validFrom, s.createdAt) <= $asOf
                       ELSE s.was = 'SATISFIES' AND s.validFrom <= $asOf AND $asOf < s.validTo END
      AND (asset IS NULL OR EXISTS {
        MATCH (c)-[a:APPLIES_TO|WAS]->(assetNode)
        WHERE CASE type(a) WHEN 'APPLIES_TO' THEN coalesce(a.validFrom, a.createdAt) <= $asOf
                           ELSE a.was = 'APPLIES_TO' AND a.validFrom <= $asOf AND $asOf < a.validTo END
      })
    WITH c, s,
         CASE WHEN c.updatedAt <= $asOf AND (c:Entity OR $asOf < c.retiredAt) THEN c { .* }
              ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: c.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
         END AS control
    WHERE control IS NOT NULL
    WITH c, s, control ORDER BY control.name
    RETURN collect({
      control: control,
      coverage: s.coverage,
      rationale: s.rationale,
      evidence: COLLECT {
        MATCH (e)-[x:SUPPORTS|WAS]->(c)
        WHERE CASE type(x) WHEN 'SUPPORTS' THEN coalesce(x.validFrom, x.createdAt) <= $asOf
                           ELSE x.was = 'SUPPORTS' AND x.validFrom <= $asOf AND $asOf < x.validTo END
        WITH DISTINCT e
        WITH CASE WHEN e.updatedAt <= $asOf AND (e:Entity OR $asOf < e.retiredAt) THEN e { .* }
                  ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: e.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
             END AS state
        WHERE state IS NOT NULL
        RETURN state
      },
      owners: COLLECT {
        MATCH (c)-[x:OWNED_BY|WAS]->(o)
        WHERE CASE type(x) WHEN 'OWNED_BY' THEN coalesce(x.validFrom, x.createdAt) <= $asOf
                           ELSE x.was = 'OWNED_BY' AND x.validFrom <= $asOf AND $asOf < x.validTo END
        WITH DISTINCT o
        WITH CASE WHEN o.updatedAt <= $asOf AND (o:Entity OR $asOf < o.retiredAt) THEN o { .* }
                  ELSE head(COLLECT { MATCH (v:EntityVersion {entityId: o.id}) WHERE v.validFrom <= $asOf
                         WITH v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1
                         WITH v WHERE $asOf < v.validTo RETURN v { .* } })
             END AS state
        WHERE state IS NOT NULL
        RETURN state
      }
    }) AS controls
  }
  WITH r, lineage, anchors, na, controls, asset, tier
  WHERE (asset IS NULL AND tier IS NULL)
     OR (anchors IS NOT NULL AND any(id IN lineage WHERE id IN anchors))
     OR (asset IS NOT NULL AND size(controls) > 0)
  WITH r, na, controls,
       head([(r)-[:PART_OF*0..6]->(t:Requirement)-[:PART_OF]->(:Framework) | t { .identifier, .title, .kind }]) AS top
  ORDER BY r.framework, r.order
  RETURN collect({
    requirement: r { .*, parentKeys: [(r)-[:PART_OF]->(q:Requirement) | q.key] },
    notApplicable: na,
    controls: controls,
    top: top
  }) AS rows
}
RETURN asset IS NOT NULL AS assetFound, asset.type AS assetType, tier, rows,
       COLLECT { MATCH (f:Framework) WHERE f.key IN $frameworks RETURN f { .* } } AS frameworks
