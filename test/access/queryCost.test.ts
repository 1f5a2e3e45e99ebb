import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  GraphQLCompositeType,
  GraphQLNamedType,
  GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  parse,
} from 'graphql';
import type { Principal } from '../../src/auth/access';
import { loadConfig } from '../../src/config';
import { CYPHER_DIR } from '../../src/db/cypherCatalog';
import { createLogger } from '../../src/logger';
import { FIELD_COSTS, operationWeigher, weighOperation } from '../../src/limits';
import { PROGRAMME_SOURCE } from '../../src/incidents/programme';
import { buildSchema } from '../../src/server';
import { createTestApi, TestApi, unique } from '../support/api';
import { everyTypePayload, SYNC } from '../support/estateFixture';
import { createTestFramework, idOf, SATISFY } from '../compliance/support';

const schema = buildSchema();
const defaults = loadConfig({}).limits;

function weigh(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return weighOperation(schema, document, operation, variables);
}

test('a remembered weighing is the weighing of the same operation, and a page variable it reads gets its own', () => {
  const weigher = operationWeigher(schema);
  const document = parse('query Pages($n: Int, $m: Int, $name: String) { entities(first: $n, filter: { text: $name }) { nodes { id name } } frameworks { key } a: entities(first: $m) { nodes { id } } }');
  const operation = document.definitions[0] as OperationDefinitionNode;
  const fresh = (variables: Record<string, unknown>) => weighOperation(schema, document, operation, variables);
  for (const variables of [{ n: 10, m: 5 }, { n: 10, m: 5, name: 'other' }, { n: 100, m: 5 }, { n: 10, m: 50 }, { n: 10, m: 5 }, {}, { n: 'x'.repeat(100_000), m: -1 }, { n: null, m: 5 }]) {
    expect(weigher(document, operation, variables)).toEqual(fresh(variables));
  }
  expect(fresh({ n: 100, m: 5 }).cost).toBeGreaterThan(fresh({ n: 10, m: 5 }).cost);
  // A variable the weight does not read (the name filter) shares the weighing.
  expect(weigher(document, operation, { n: 10, m: 5, name: 'x' })).toBe(weigher(document, operation, { n: 10, m: 5, name: 'y' }));
});

const aliases = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

test('every priced field exists in the schema', () => {
  const missing = Object.keys(FIELD_COSTS).filter((coordinate) => {
    const [type, field] = coordinate.split('.');
    const found = schema.getType(type);
    return !(isObjectType(found) && field in found.getFields());
  });
  expect(missing).toEqual([]);
});

test('aliases of a priced field pay for each alias, and so does asking through an interface', () => {
  const thousand = weigh(aliases(1_000, 'postureSummary { generatedAt }'));
  expect(thousand.rootFields).toBe(1_000);
  expect(thousand.cost).toBeGreaterThanOrEqual(1_000 * FIELD_COSTS['Query.postureSummary']);
  expect(thousand.cost).toBeGreaterThan(defaults.maxQueryCost);

  const once = weigh('{ requirements(framework: "eu-ai-act") { a: related { hops } } }');
  const twice = weigh('{ requirements(framework: "eu-ai-act") { a: related { hops } b: related { hops } } }');
  expect(twice.cost - once.cost).toBeGreaterThan(FIELD_COSTS['Requirement.related']);

  const viaInterface = weigh('{ node(id: "x") { ... on Asset { compromisedUpstream { distance } } } }');
  const viaObject = weigh('{ node(id: "x") { ... on Dataset { compromisedUpstream { distance } } } }');
  expect(viaInterface.cost).toBe(viaObject.cost);
  expect(viaObject.cost).toBeGreaterThan(FIELD_COSTS['Dataset.compromisedUpstream']);
});

test('top-level fields count once per response key, through fragments too', () => {
  const weight = weigh(`
    query { a: postureSummary { generatedAt } a: postureSummary { generatedAt } ... on Query { b: caller { name } } ...More }
    fragment More on Query { c: apiInfo { name } a: postureSummary { generatedAt } }
  `);
  expect(weight.rootFields).toBe(3);
});

test("the README's tour fits the default limits", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const tour = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
  expect(tour.length).toBeGreaterThan(5);
  for (const query of tour) {
    const { depth, cost, rootFields } = weigh(query);
    expect({ query, depth: depth <= defaults.maxQueryDepth, cost: cost <= defaults.maxQueryCost, rootFields: rootFields <= defaults.maxRootFields }).toEqual({
      query,
      depth: true,
      cost: true,
      rootFields: true,
    });
  }
});

describe('over HTTP, with the default limits', () => {
  let api: TestApi;
  const logLines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    api = await createTestApi({ ANONYMOUS_ACCESS: 'read' }, createLogger('info', (line) => logLines.push(JSON.parse(line))));
  });
  afterAll(() => api.close());

  test('a thousand aliases of postureSummary are refused before any resolver runs', async () => {
    const requestId = unique('aliases');
    const query = aliases(1_000, 'postureSummary { generatedAt }');
    expect(query.length).toBeGreaterThan(30_000);
    const response = await fetch(`http://127.0.0.1:${api.app.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(response.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rootFields: 1_000, maxRootFields: defaults.maxRootFields });
    expect(logLines.find((line) => line.msg === 'request' && line.requestId === requestId)).toMatchObject({ errorCodes: ['BAD_USER_INPUT'], neo4jQueries: 0 });
  });
});

/**
 * Cypher whose cost grows with the graph rather than with the records asked for: a walk (a
 * variable-length or quantified pattern, a shortest path) or a read of a whole label (a MATCH on
 * labels alone, not followed by a relationship that narrows it).
 */
const WALK = /\*\d*\.\.|\)\{\d*,\s*[\w$]*\}|\bSHORTEST\b/;
const WHOLE_LABEL = /\bMATCH\s+\(\w+(?::\w+)+\)(?!\s*[-<])/;

function expensiveCypher(): Set<string> {
  const names = new Set<string>();
  for (const folder of ['estate', 'lineage', 'compliance', 'auth']) {
    for (const file of fs.readdirSync(path.join(CYPHER_DIR, folder))) {
      const text = fs.readFileSync(path.join(CYPHER_DIR, folder, file), 'utf8').replace(/\/\/.*$/gm, '');
      if (WALK.test(text) || WHOLE_LABEL.test(text)) names.add(`${folder}/${file.replace(/\.cypher$/, '')}`);
    }
  }
  return names;
}

describe('every Query field that runs a walk or reads a whole label is priced', () => {
  let api: TestApi;
  /** The field whose resolver is running, so that the Cypher it sends is charged to it. */
  const resolving = new AsyncLocalStorage<string>();
  const cypherOf = new Map<string, Set<string>>();
  const invoked = new Set<string>();
  const admin: Principal = { name: 'probe', kind: 'apiKey', role: 'ADMIN' };

  beforeAll(async () => {
    api = await createTestApi(
      { MAX_QUERY_DEPTH: '100', MAX_QUERY_COST: '100000000' },
      createLogger('debug', (line) => {
        const entry = JSON.parse(line) as { msg: string; query?: string };
        const field = resolving.getStore();
        if (entry.msg !== 'cypher' || !field) return;
        cypherOf.set(field, (cypherOf.get(field) ?? new Set()).add(entry.query!));
      }),
    );
    // Each resolver runs inside its field's store; graphql-js calls the ones below it afterwards, outside it.
    for (const type of Object.values(api.app.server.schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const resolve = field.resolve;
        if (!resolve) continue;
        const coordinate = `${type.name}.${field.name}`;
        field.resolve = (...args) => {
          invoked.add(coordinate);
          return resolving.run(coordinate, () => resolve(...args));
        };
      }
    }
  });
  afterAll(() => api.close());

  /** Types a query can reach, and the fields among them that have a resolver of their own. */
  function resolvedFieldsFromQuery(probed: GraphQLSchema): string[] {
    const seen = new Set<string>();
    const fields: string[] = [];
    const visit = (type: GraphQLNamedType) => {
      if (seen.has(type.name) || !isCompositeType(type)) return;
      seen.add(type.name);
      if (isAbstractType(type)) probed.getPossibleTypes(type).forEach(visit);
      if (!isObjectType(type)) return;
      for (const field of Object.values(type.getFields())) {
        if (field.resolve) fields.push(`${type.name}.${field.name}`);
        visit(getNamedType(field.type));
      }
    };
    visit(probed.getQueryType()!);
    return fields;
  }

  /**
   * A selection of everything under `type`, breadth first, each field expanded once per query and
   * not at all once an earlier probe ran its resolver; aliases keep the concrete types apart.
   */
  function selectAll(probed: GraphQLSchema, type: GraphQLCompositeType, done: Set<string>, examples: Record<string, string>, missing: Set<string>): string {
    type Level = { type: GraphQLCompositeType; fields: string[]; below: Array<{ head: string; tail: string; level: Level }> };
    const top: Level = { type, fields: [], below: [] };
    const queue = [top];
    const expanded = new Set<string>();
    while (queue.length > 0) {
      const level = queue.shift()!;
      const abstract = isAbstractType(level.type);
      level.fields.push('__typename');
      for (const object of isAbstractType(level.type) ? probed.getPossibleTypes(level.type) : [level.type]) {
        const leaves: string[] = [];
        for (const field of Object.values(object.getFields())) {
          const coordinate = `${object.name}.${field.name}`;
          if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined) && !(coordinate in examples)) {
            missing.add(coordinate);
            continue;
          }
          const call = `${object.name}_${field.name}: ${field.name}${examples[coordinate] ?? ''}`;
          const inner = getNamedType(field.type);
          if (!isCompositeType(inner)) leaves.push(call);
          else if (!done.has(coordinate) && !expanded.has(coordinate)) {
            expanded.add(coordinate);
            const below: Level = { type: inner, fields: [], below: [] };
            queue.push(below);
            level.below.push({ head: abstract ? `... on ${object.name} { ${call}` : call, tail: abstract ? '}' : '', level: below });
          }
        }
        level.fields.push(abstract ? `... on ${object.name} { __typename ${leaves.join(' ')} }` : leaves.join(' '));
      }
    }
    const render = (level: Level): string => `{ ${[...level.fields, ...level.below.map(({ head, tail, level: next }) => `${head} ${render(next)} ${tail}`)].join(' ')} }`;
    return render(top);
  }

  test('probing each Query field with everything below it', async () => {
    const source = unique('probe');
    // Every list field is given: some paths (Relationship.other, ThreatControl.protects) return stored
    // records without filling in the lists they lack, which this test is not about.
    const payload = everyTypePayload(source);
    const lists: Record<string, object> = { vendors: { services: ['probe'] }, agents: { allowedTools: ['probe'], allowedActions: ['probe'] }, decisions: { affectedParties: ['probe'] } };
    const assets = Object.fromEntries(Object.entries(payload.assets).map(([type, records]) => [type, records.map((record: object) => ({ ...lists[type], ...record, tags: ['probe'] }))]));
    await api.data(SYNC, { input: { ...payload, assets } });
    // After the sync's change set: changes() may not ask before the oldest one.
    const synced = new Date().toISOString();
    const rawId = await idOf(api, source, 'Dataset', 'ds-raw');
    await api.data('mutation($id: ID!) { markCompromised(id: $id, reason: "Probe.") { incident { id } } }', { id: rawId });
    const framework = await createTestFramework(api, [
      { identifier: 'R1', kind: 'ARTICLE' },
      { identifier: 'R2', kind: 'ARTICLE', parent: 'R1' },
      { identifier: 'RISK-1', kind: 'RISK' },
    ]);
    const controlId = await idOf(api, source, 'Control', 'control-filter');
    const modelId = await idOf(api, source, 'AIModel', 'model-tuned');
    const agentId = await idOf(api, source, 'Agent', 'agent-main');
    const toolId = await idOf(api, source, 'Tool', 'tool-refund');
    const vendorId = await idOf(api, source, 'Vendor', 'vendor-a');
    const incidentId = await idOf(api, source, 'Incident', 'incident-1');
    await api.data(SYNC, { input: { source, mode: 'UPSERT', assets: { aiSystems: [{ externalId: 'system-probe', name: 'Probe system' }] } } });
    const systemId = await idOf(api, source, 'AISystem', 'system-probe');
    // The programme's records (playbooks, policies, vendor reviews, gates, shadow AI), so that their fields resolve too.
    const at = (type: string, externalId: string) => ({ type, externalId, source });
    await api.data(SYNC, {
      input: {
        source,
        mode: 'UPSERT',
        assets: {
          playbooks: [{ externalId: 'playbook-probe', name: 'Probe playbook', scenario: 'PROMPT_INJECTION', steps: ['Triage', 'Contain'] }],
          policies: [{ externalId: 'policy-probe', name: 'Probe policy', kind: 'AI_ACCEPTABLE_USE', policyVersion: '1.0' }],
          owners: [{ externalId: 'owner-gate', name: 'Probe approver', approvesStages: ['DEPLOYED'] }],
        },
        relationships: [
          { type: 'FOLLOWS', from: at('Incident', 'incident-1'), to: at('Playbook', 'playbook-probe') },
          { type: 'IMPLEMENTS', from: at('Control', 'control-filter'), to: at('Policy', 'policy-probe') },
        ],
      },
    });
    const ownerId = await idOf(api, source, 'Owner', 'owner-team');
    await api.data('mutation($input: IncidentStepInput!) { updateIncidentStep(input: $input) { id } }', {
      input: { incidentId, position: 1, status: 'IN_PROGRESS', ownerId, at: '2026-05-01T11:00:00Z' },
    });
    await api.data('mutation($p: ID!, $o: ID!) { acknowledgePolicy(policyId: $p, ownerId: $o) { acknowledgedAt } }', { p: await idOf(api, source, 'Policy', 'policy-probe'), o: ownerId });
    await api.data('mutation($input: RecordVendorAssessmentInput!) { recordVendorAssessment(input: $input) { id } }', {
      input: { source, assessment: { externalId: 'assessment-probe', name: 'Probe review', assessedAt: '2026-01-15T00:00:00Z' }, vendor: at('Vendor', 'vendor-a'), assessor: at('Owner', 'owner-team') },
    });
    await api.data('mutation($input: RecordGateApprovalInput!) { recordGateApproval(input: $input) { id } }', {
      input: {
        source,
        approval: { externalId: 'gate-probe', name: 'Probe gate', stage: 'DEPLOYED', outcome: 'APPROVED', decidedAt: '2026-01-20T00:00:00Z' },
        subject: at('AIModel', 'model-tuned'),
        approver: at('Owner', 'owner-gate'),
      },
    });
    // Declared last: a discovery source's syncs report discovered assets.
    await api.data('mutation($s: String!) { declareDiscoverySource(source: $s, kind: CASB) { id } }', { s: source });
    await api.data(SYNC, {
      input: {
        source,
        mode: 'UPSERT',
        assets: { discoveredAssets: [{ externalId: 'found-probe', name: 'Probe find', kind: 'SAAS_APP', department: 'Probe' }] },
        relationships: [{ type: 'TOUCHES', from: at('DiscoveredAsset', 'found-probe'), to: at('Dataset', 'ds-raw') }],
      },
    });
    await api.data('mutation($input: SignalRuleInput!, $source: String) { createSignalRule(input: $input, source: $source) { id } }', {
      input: { externalId: 'rule-probe', name: 'Probe', signalKind: 'DRIFT', threshold: 1_000_000 },
      source,
    });
    const ref = (identifier: string) => ({ framework, identifier });
    await api.data('mutation($input: MapRequirementsInput!) { mapRequirements(input: $input) { type } }', {
      input: { from: ref('R1'), to: ref('RISK-1'), type: 'INTERSECTS', rationale: 'Probe.' },
    });
    await api.data(SATISFY, { controlId, r: ref('R1'), coverage: 'FULL', why: 'Probe.' });
    await api.data(SATISFY, { controlId, r: ref('RISK-1'), coverage: 'PARTIAL', why: 'Probe.' });
    await api.data('mutation($r: RequirementRefInput!) { declareNotApplicable(requirement: $r, rationale: "Probe.") { id } }', { r: ref('R2') });

    const key = (type: string, externalId: string) => `{ type: ${type}, source: "${source}", externalId: "${externalId}" }`;
    const requirement = (identifier: string) => `{ framework: "${framework}", identifier: "${identifier}" }`;
    const mine = `(filter: { source: "${source}" })`;
    /** Arguments for the fields that need some, and for lists that would otherwise read every test's data. */
    const examples: Record<string, string> = {
      'Query.node': `(id: "${modelId}")`,
      'Query.entityByKey': `(type: Agent, source: "${source}", externalId: "agent-main")`,
      'Query.history': `(id: "${modelId}")`,
      'Query.lineage': `(key: ${key('Dataset', 'ds-raw')})`,
      'Query.impact': `(key: ${key('Dataset', 'ds-raw')})`,
      'Query.dependencies': `(key: ${key('Decision', 'decision-refund')})`,
      'Query.framework': `(key: "${framework}")`,
      'Query.requirement': `(framework: "${framework}", identifier: "R1")`,
      'Query.requirements': `(framework: "${framework}")`,
      'Query.relatedRequirements': `(requirement: ${requirement('R1')})`,
      'Query.controlsFor': `(requirement: ${requirement('R1')})`,
      'Query.requirementsFor': `(controlId: "${controlId}")`,
      'Query.coverage': `(framework: "${framework}")`,
      'Query.threatChain': `(requirement: ${requirement('RISK-1')})`,
      'Query.changes': `(from: "${synced}", to: "${new Date().toISOString()}", source: "${source}")`,
      'Query.coverageChanges': `(framework: "${framework}", from: "${synced}", to: "${new Date().toISOString()}")`,
      'Query.impactDuring': `(key: ${key('Dataset', 'ds-raw')}, from: "${synced}")`,
      'Query.agentPrivileges': `(id: "${agentId}")`,
      'Query.whoCanReach': `(target: "${toolId}")`,
      'Query.assetSignals': `(id: "${modelId}")`,
      'Query.incidentSignals': `(id: "${incidentId}")`,
      'Query.vendorChangesSinceAssessment': `(vendorId: "${vendorId}")`,
      'Query.proposeClassification': `(systemId: "${systemId}")`,
      'Query.obligations': `(systemId: "${systemId}")`,
      'Query.upcomingObligations': '(before: "2027-08-02")',
      ...Object.fromEntries(['vendorReviews', 'vendorsOverdueForReview', 'vendorsExpiredOrFailed', 'vendorTiers', 'gateConditionsOverdue', 'gateExceptions', 'ungatedRecords'].map((field) => [`Query.${field}`, `(source: "${source}")`])),
      ...Object.fromEntries(['entities', 'aiModels', 'datasets', 'vendors', 'agents', 'decisions', 'owners', 'risks', 'incidents', 'controls', 'evidence', 'tools', 'playbooks', 'policies', 'discoveredAssets', 'signalRules', 'aiSystems', 'vendorAssessments', 'gateApprovals'].map((field) => [`Query.${field}`, mine])),
      // A declaration is kept under the programme's source, named after the source it declares.
      'Query.discoverySources': `(filter: { source: "${PROGRAMME_SOURCE}", text: "${source}" })`,
    };

    const probed = api.app.server.schema;
    const queryType = probed.getQueryType()!;
    // Narrow probes first: what they reach is not expanded again under the ones that read every framework.
    const last = ['postureSummary', 'frameworks', 'exposure', 'overPrivilegedAgents'];
    const roots = Object.values(queryType.getFields()).sort((a, b) => last.indexOf(a.name) - last.indexOf(b.name));
    const missing = new Set<string>();
    for (const field of roots) {
      const inner = getNamedType(field.type);
      const selection = isCompositeType(inner) ? selectAll(probed, inner, invoked, examples, missing) : '';
      const query = `{ ${field.name}${examples[`Query.${field.name}`] ?? ''} ${selection} }`;
      const result = await api.execute(query, {}, admin);
      expect({ query, errors: result.errors }).toEqual({ query, errors: undefined });
    }
    expect([...missing]).toEqual([]);

    expect(resolvedFieldsFromQuery(probed).filter((coordinate) => !invoked.has(coordinate))).toEqual([]);
    const expensive = expensiveCypher();
    const unpriced = [...cypherOf]
      .filter(([coordinate, names]) => [...names].some((name) => expensive.has(name)) && !(coordinate in FIELD_COSTS))
      .map(([coordinate, names]) => `${coordinate}: ${[...names].join(', ')}`);
    expect(unpriced).toEqual([]);
  });
});
