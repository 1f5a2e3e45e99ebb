/** The GraphQL operations the bench sends, as a client would write them. */

export const SYNC = `mutation BenchSync($input: SyncInventoryInput!) {
  syncInventory(input: $input) { ok assets { created updated unchanged } relationships { created updated unchanged } errors { path message } }
}`;
export const KEY = `query BenchKey($type: EntityType!, $source: String!, $externalId: String!) { entityByKey(type: $type, source: $source, externalId: $externalId) { id } }`;
/** What an impact screen asks for: counts, every reached record with its explaining path, decisions, vendors, owners. */
export const IMPACT = `query BenchImpact($id: ID!, $depth: Int) {
  impact(id: $id, maxDepth: $depth) {
    count truncated groups { type count }
    items { entity { __typename id name } distance path { text } }
    decisions { decision { id name } impactLevel humanInTheLoop distance }
    vendors { name } owners { name }
  }
}`;
/** The same impact asking only for what a list of names needs, then with each record's path. */
export const IMPACT_NAMES = `query BenchImpactNames($id: ID!, $depth: Int) { impact(id: $id, maxDepth: $depth) { items { entity { id name } distance } } }`;
export const IMPACT_PATHS = `query BenchImpactPaths($id: ID!, $depth: Int) { impact(id: $id, maxDepth: $depth) { items { entity { id name } distance path { text } } } }`;
/** A screen's first page: the totals of the whole blast radius and its 50 nearest records. */
export const IMPACT_PAGE = `query BenchImpactPage($id: ID!, $depth: Int) {
  impact(id: $id, maxDepth: $depth) { count truncated groups { type count } items(first: 50) { entity { id name } distance path { text } cursor } }
}`;
export const LINEAGE = `query BenchLineage($id: ID!, $direction: LineageDirection, $depth: Int) {
  lineage(id: $id, direction: $direction, maxDepth: $depth) {
    truncated nodes { entity { __typename id name } distance direction } edges { type fromId toId }
  }
}`;
export const LOOKUP = `query BenchLookup($id: ID!) { node(id: $id) { id ... on Dataset { name classification containsPersonalData owners { name } } } }`;
/** Four levels of nested lists under one page: its round trips must not grow with the page. */
export const NESTED = `query BenchNested($first: Int, $source: String) {
  datasets(first: $first, filter: { source: $source }) {
    nodes {
      name owners { name }
      derivedFrom { name owners { name } }
      trainedModels { name basedOn { name providedBy { name } } usedByAgents { name informs { name } } }
      retrievedByAgents { name usesModels { name } }
    }
  }
}`;
/** A list screen: one page of names, with or without the total a pager shows. */
export const LIST = `query BenchList($type: EntityType, $first: Int, $after: String) {
  entities(type: $type, first: $first, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } }
}`;
export const LIST_TOTAL = `query BenchListTotal($type: EntityType, $first: Int, $after: String) {
  entities(type: $type, first: $first, after: $after) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } }
}`;
export const FRAMEWORKS = `query BenchFrameworks { frameworks { key name requirementCount } }`;
export const REQUIREMENTS = `query BenchRequirements($framework: String!) { requirements(framework: $framework) { identifier kind } }`;
export const CONTROLS = `query BenchControls($first: Int, $source: String) { controls(first: $first, filter: { source: $source }) { nodes { id } } }`;
export const SATISFY = `mutation BenchSatisfy($controlId: ID!, $requirement: RequirementRefInput!, $coverage: SatisfactionCoverage!) {
  satisfy(controlId: $controlId, requirement: $requirement, coverage: $coverage, rationale: "benchmark claim") { coverage }
}`;
export const COVERAGE = `query BenchCoverage($framework: String!) {
  coverage(framework: $framework) {
    total counts { status count percent }
    groups { identifier title total counts { status count } }
    items { requirement { key identifier title } status group controls { control { id name } coverage evidence { name expired } owners { name } } notApplicable { rationale } }
  }
}`;

export const CREATE_KEY = `mutation BenchKey($name: String!, $role: Role!, $source: String) { createApiKey(name: $name, role: $role, source: $source) { key } }`;

/** The history phase: the same impact and lineage as of an instant (asOf null: now), and what it removes between syncs. */
export const IMPACT_NAMES_AS_OF = `query BenchImpactNamesAsOf($id: ID!, $depth: Int, $asOf: DateTime) { impact(id: $id, maxDepth: $depth, asOf: $asOf) { count items { entity { id name } distance } } }`;
export const IMPACT_AS_OF = `query BenchImpactAsOf($id: ID!, $depth: Int, $asOf: DateTime) {
  impact(id: $id, maxDepth: $depth, asOf: $asOf) {
    count truncated groups { type count }
    items { entity { __typename id name } distance path { text } }
    decisions { decision { id name } impactLevel humanInTheLoop distance }
    vendors { name } owners { name }
  }
}`;
export const LINEAGE_AS_OF = `query BenchLineageAsOf($id: ID!, $direction: LineageDirection, $depth: Int, $asOf: DateTime) {
  lineage(id: $id, direction: $direction, maxDepth: $depth, asOf: $asOf) {
    truncated nodes { entity { __typename id name } distance direction } edges { type fromId toId }
  }
}`;
