/**
 * Every GraphQL operation the explorer sends. test/unit/explorerQueries.test.ts validates each
 * against the schema, so a renamed field fails the tests, not a user's page.
 */

const RECORD_SUMMARY = 'id __typename name source externalId ... on Asset { status }';

const LINEAGE_GRAPH = `
  root { id ... on Asset { compromisedUpstream { source { id } } } }
  nodes { distance direction entity { ${RECORD_SUMMARY} } }
  edges { type fromId toId }
  truncated nodeLimit`;

export const SEARCH = `query ExplorerSearch($text: String!, $type: EntityType) {
  entities(type: $type, filter: { text: $text }, first: 12) { nodes { ${RECORD_SUMMARY} } }
}`;

export const LINEAGE = `query ExplorerLineage($id: ID!, $direction: LineageDirection, $maxDepth: Int, $types: [RelationshipType!]) {
  lineage(id: $id, direction: $direction, maxDepth: $maxDepth, relationshipTypes: $types) { ${LINEAGE_GRAPH} }
}`;

/** Impact mode draws what depends on the record (its downstream lineage) and lays the impact report over it. */
export const IMPACT = `query ExplorerImpact($id: ID!, $maxDepth: Int) {
  lineage(id: $id, direction: DOWNSTREAM, maxDepth: $maxDepth) { ${LINEAGE_GRAPH} }
  impact(id: $id, maxDepth: $maxDepth) {
    count truncated
    decisions { decision { id name } impactLevel humanInTheLoop distance }
    items { entity { id } distance path { text steps { type from { id } to { id } } } }
  }
}`;

export const RECORD = `query ExplorerRecord($id: ID!) {
  node(id: $id) {
    id
    ... on Entity {
      __typename name description source externalId tags createdAt updatedAt version
      owners { id name kind email role }
      history(first: 10) { at actor action reason relationshipType changes { field } }
    }
    ... on Asset {
      status
      risks { id name category residualScore status }
      controls { id name implementationStatus evidence { id name expiresAt expired } }
      incidents { id name severity status detectedAt }
    }
    ... on AIModel { modelVersion task modality lifecycleStage riskTier purl licenses }
    ... on Dataset { datasetKind: kind classification containsPersonalData recordCount location }
    ... on Vendor { services riskRating contractEndsAt dataProcessingAgreement dataResidency lastAssessedAt }
    ... on Agent { purpose autonomyLevel humanOversight }
    ... on Decision { impactLevel humanInTheLoop businessProcess affectedParties }
    ... on Owner { ownerKind: kind email role }
    ... on Risk { category likelihood impact inherentScore residualScore treatment riskStatus: status }
    ... on Incident { severity incidentStatus: status detectedAt resolvedAt playbook }
    ... on Control { implementationStatus controlType lastTestedAt evidence { id name expiresAt expired } }
    ... on Evidence { uri evidenceKind: kind collectedAt expiresAt expired }
    ... on Tool { toolKind: kind scopes sensitivity endpoint }
  }
}`;

export const FRAMEWORKS = `query ExplorerFrameworks { frameworks { key name version attribution } }`;

export const COVERAGE = `query ExplorerCoverage($framework: String!, $scope: CoverageScope) {
  coverage(framework: $framework, scope: $scope) {
    framework { key name version attribution }
    riskTier total
    counts { status count percent }
    groups { identifier title total counts { status count } }
    items {
      status group
      requirement { key identifier title summary kind }
      notApplicable { rationale declaredBy declaredAt }
      controls {
        coverage rationale
        control { id name implementationStatus appliesTo { id __typename name } }
        evidence { id name expiresAt expired }
        owners { id name }
      }
    }
  }
}`;

export const RELATED_REQUIREMENTS = `query ExplorerRelated($framework: String!, $identifier: String!) {
  relatedRequirements(requirement: { framework: $framework, identifier: $identifier }, depth: 2) {
    direct hops
    requirement { key identifier title framework { key name } }
  }
}`;

/** Operations by name, for the test that validates them. */
export const OPERATIONS = { SEARCH, LINEAGE, IMPACT, RECORD, FRAMEWORKS, COVERAGE, RELATED_REQUIREMENTS };
