// findVendorReviews.cypher as of an instant, $asOf (see cypher/README.md, "History"): the vendors
// that existed then and the assessments that ASSESSED them then, each in its state then.
CALL () {
  MATCH (vendor:Vendor) RETURN vendor
  UNION ALL
  MATCH (vendor:Retired) WHERE vendor.type = 'Vendor' RETURN vendor
}
WITH vendor WHERE ($source IS NULL OR vendor.source = $source) AND ($vendorId IS NULL OR vendor.id = $vendorId)
WITH vendor, CASE WHEN vendor.updatedAt <= $asOf THEN CASE WHEN vendor.retiredAt <= $asOf THEN null ELSE vendor END
  ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: vendor.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
        WHERE $asOf < v.validTo][0] END AS state
WITH vendor, state WHERE state IS NOT NULL
RETURN properties(state) AS vendor,
       COLLECT {
         MATCH (vendor)<-[held:ASSESSES|WAS]-(assessment)
         WHERE CASE type(held) WHEN 'WAS' THEN held.was = 'ASSESSES' AND held.validFrom <= $asOf < held.validTo
                               ELSE coalesce(held.validFrom, held.createdAt) <= $asOf END
         WITH assessment, CASE WHEN assessment.updatedAt <= $asOf THEN CASE WHEN assessment.retiredAt <= $asOf THEN null ELSE assessment END
           ELSE [v IN COLLECT { MATCH (v:EntityVersion {entityId: assessment.id}) WHERE v.validFrom <= $asOf RETURN v ORDER BY v.validFrom DESC, v.validTo DESC LIMIT 1 }
                 WHERE $asOf < v.validTo][0] END AS assessed
         WITH assessment, assessed WHERE assessed IS NOT NULL
         RETURN properties(assessed) ORDER BY assessed.assessedAt DESC, assessment.id DESC LIMIT 2 } AS assessments
ORDER BY state.name, vendor.id
