// Every vendor (of $source, or the one $vendorId, when given) with its two latest assessments by assessedAt: the latest
// decides its review, the one before is what the latest is compared with.
MATCH (vendor:Vendor)
WHERE ($source IS NULL OR vendor.source = $source) AND ($vendorId IS NULL OR vendor.id = $vendorId)
RETURN vendor {.*} AS vendor,
       COLLECT { MATCH (vendor)<-[:ASSESSES]-(assessment:VendorAssessment)
                 RETURN assessment {.*} ORDER BY assessment.assessedAt DESC, assessment.id DESC LIMIT 2 } AS assessments
ORDER BY vendor.name, vendor.id
