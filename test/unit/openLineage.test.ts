import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { convertEvents, LineageConversion, runKeys } from '../../src/formats/openlineage/converter';
import { isOpenLineage, readEvents } from '../../src/formats/openlineage/events';
import type { RunState } from '../../src/formats/openlineage/runs';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';

/** OpenLineage events to a sync payload and run states, without a database. */
const RUN = '0176a8c2-fe01-7439-87e6-56a1a1b4029f';
const event = (overrides: Record<string, unknown> = {}) => ({
  eventType: 'START',
  eventTime: '2026-11-30T10:00:00.000Z',
  producer: 'https://example.com/test-producer',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: RUN },
  job: { namespace: 'etl', name: 'daily.orders' },
  inputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.orders' }],
  outputs: [],
  ...overrides,
});
const output = { namespace: 'postgres://db:5432', name: 'shop.public.orders_daily' };

/** Converts events one document after another, each against the runs the previous ones left. */
function deliver(...documents: unknown[]): { conversions: LineageConversion[]; runs: Map<string, RunState> } {
  const runs = new Map<string, RunState>();
  const conversions = documents.map((document) => {
    const conversion = convertEvents(readEvents(document), runs);
    for (const run of conversion.runs) runs.set(run.key, run);
    return conversion;
  });
  return { conversions, runs };
}
const edges = (conversion: LineageConversion) => conversion.relationships.map((rel) => `${rel.from.externalId} -> ${rel.to.externalId}`);

test('a run whose START names the inputs and whose COMPLETE names the outputs derives each output from each input, in either order', () => {
  const start = event();
  const complete = event({ eventType: 'COMPLETE', eventTime: '2026-11-30T10:05:00.000Z', inputs: [], outputs: [output] });
  const inOrder = deliver(start, complete);
  const reversed = deliver(complete, start);
  expect(edges(inOrder.conversions[0])).toEqual([]);
  expect(edges(inOrder.conversions[1])).toEqual(['postgres://db:5432/shop.public.orders_daily -> postgres://db:5432/shop.public.orders']);
  expect(edges(reversed.conversions[1])).toEqual(edges(inOrder.conversions[1]));
  expect(inOrder.conversions[1].relationships[0].properties).toEqual({ job: 'etl/daily.orders' });
  expect([...inOrder.runs.values()]).toEqual([...reversed.runs.values()]);
  expect([...inOrder.runs.values()][0]).toMatchObject({ state: 'COMPLETE', stateAt: '2026-11-30T10:05:00.000Z' });
});

test('a redelivered event, or one already added up, changes no run', () => {
  const complete = event({ eventType: 'COMPLETE', outputs: [output] });
  const { conversions } = deliver(event(), complete, complete, event());
  expect(conversions.map((conversion) => conversion.runs.length)).toEqual([1, 1, 0, 0]);
  expect(edges(conversions[2])).toEqual(edges(conversions[1]));
});

test('a START without a COMPLETE already asserts its lineage: a streaming job may never end', () => {
  const { conversions, runs } = deliver(event({ outputs: [output] }));
  expect(edges(conversions[0])).toHaveLength(1);
  expect([...runs.values()][0].state).toBe('START');
});

test('FAIL and ABORT end the run and keep what it read and wrote; a second, different end is warned and the later one kept', () => {
  const fail = event({ eventType: 'FAIL', eventTime: '2026-11-30T10:03:00Z', outputs: [output], run: { runId: RUN, facets: { errorMessage: { _producer: 'p', _schemaURL: 's', message: 'disk full', programmingLanguage: 'python' } } } });
  const abort = event({ eventType: 'ABORT', eventTime: '2026-11-30T10:04:00Z' });
  const forward = deliver(event(), fail, abort);
  const backward = deliver(abort, fail, event());
  expect([...forward.runs.values()][0]).toMatchObject({ state: 'ABORT', stateAt: '2026-11-30T10:04:00.000Z' });
  expect([...backward.runs.values()]).toEqual([...forward.runs.values()]);
  expect(forward.conversions[1].reason).toBe(`OpenLineage FAIL job etl/daily.orders run ${RUN}: disk full`);
  expect(edges(forward.conversions[1])).toHaveLength(1);
  expect(forward.conversions[1].warnings).toEqual([{ pointer: '/run/facets/errorMessage/programmingLanguage', message: 'only the message is kept, in the audit', skipped: false }]);
  expect(forward.conversions[2].warnings.map((warning) => warning.message)).toContainEqual(expect.stringMatching(/already ended as FAIL .* kept: ABORT/));
  // A late START never reopens an ended run.
  expect([...deliver(fail, event({ eventTime: '2026-11-30T11:00:00Z' })).runs.values()][0].state).toBe('FAIL');
});

test('events without a usable runId stand alone, warned; job and dataset events have no run', () => {
  const { conversions, runs } = deliver(
    [event({ run: {} }), event({ run: { runId: '{{ any(result) }}' }, eventType: 'COMPLETE', inputs: [], outputs: [output] })],
    { eventTime: '2026-11-30T10:00:00Z', producer: 'p', schemaURL: 's', job: { namespace: 'etl', name: 'static' }, inputs: [event().inputs[0]], outputs: [output] },
    { eventTime: '2026-11-30T10:00:00Z', producer: 'p', schemaURL: 's', dataset: { ...output, facets: { documentation: { description: 'Daily orders' } } } },
  );
  expect(runs.size).toBe(0);
  expect(edges(conversions[0])).toEqual([]);
  expect(conversions[0].warnings.map((warning) => warning.pointer)).toEqual(['/0/run/runId', '/1/run/runId']);
  expect(conversions[1].relationships[0].properties).toEqual({ job: 'etl/static' });
  expect(conversions[2].assets.datasets).toEqual([{ externalId: 'postgres://db:5432/shop.public.orders_daily', name: 'shop.public.orders_daily', description: 'Daily orders' }]);
});

test('schema, documentation and column lineage are kept; every other facet is warned at its place', () => {
  const facets = {
    schema: { _producer: 'p', _schemaURL: 's', fields: [{ name: 'id', type: 'int', description: 'key' }, { name: 'address', type: 'struct', fields: [{ name: 'city', type: 'string' }] }] },
    documentation: { _producer: 'p', _schemaURL: 's', description: 'Orders per day' },
    columnLineage: {
      _producer: 'p',
      _schemaURL: 's',
      fields: { id: { inputFields: [{ ...event().inputs[0], field: 'order_id', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY', masking: false }] }] } },
      dataset: [{ namespace: 'kafka://broker', name: 'refunds', field: 'order_id', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] }],
    },
    dataQualityMetrics: { _producer: 'p', _schemaURL: 's', rowCount: 1 },
  };
  const [conversion] = deliver(event({ outputs: [{ ...output, facets, outputFacets: { outputStatistics: { _producer: 'p', _schemaURL: 's', rowCount: 3 } } }] })).conversions;
  expect(conversion.assets.datasets).toContainEqual({
    externalId: 'postgres://db:5432/shop.public.orders_daily',
    name: 'shop.public.orders_daily',
    description: 'Orders per day',
    columns: ['{"name":"id","type":"int","description":"key"}', '{"name":"address","type":"struct"}', '{"name":"address.city","type":"string"}'],
  });
  expect(conversion.relationships.map((rel) => [rel.to.externalId, rel.properties])).toEqual([
    ['postgres://db:5432/shop.public.orders', { job: 'etl/daily.orders', columnLineage: ['id <- order_id [DIRECT/IDENTITY]'] }],
    ['kafka://broker/refunds', { job: 'etl/daily.orders', columnLineage: ['* <- order_id [INDIRECT/JOIN]'] }],
  ]);
  expect(conversion.warnings.map((warning) => warning.pointer)).toEqual(['/outputs/0/outputFacets/outputStatistics', '/outputs/0/facets/dataQualityMetrics']);
  // A facet sent as deleted clears what it set.
  const [cleared] = deliver(event({ inputs: [{ ...event().inputs[0], facets: { schema: { _deleted: true }, documentation: { _deleted: true } } }] })).conversions;
  expect(cleared.assets.datasets).toEqual([{ externalId: 'postgres://db:5432/shop.public.orders', name: 'shop.public.orders', columns: null, description: null }]);
});

test.each([
  ['not an object', 'START', ['']],
  ['an unknown eventType', event({ eventType: 'FINISHED' }), ['/eventType']],
  ['a numeric runId', event({ run: { runId: 42 } }), ['/run/runId']],
  ['a job without a name', event({ job: { namespace: 'etl' } }), ['/job/name']],
  ['inputs that are not a list', event({ inputs: { namespace: 'a', name: 'b' } }), ['/inputs']],
  ['a dataset name with a line break', event({ inputs: [{ namespace: 'a', name: 'b\nc' }] }), ['/inputs/0/name']],
  ['a name longer than a key may be', event({ outputs: [{ namespace: 'a', name: 'n'.repeat(600) }] }), ['/outputs/0']],
  ['an eventTime that is not a string', event({ eventTime: 1_700_000_000 }), ['/eventTime']],
  ['neither run, job nor dataset', { eventType: 'START' }, ['']],
  ['an empty list', [], ['']],
])('refuses %s, naming its place', (_what, document, pointers) => {
  const conversion = convertEvents(readEvents(document), new Map());
  expect(conversion.problems.map((problem) => problem.pointer)).toEqual(pointers);
  expect(conversion.relationships).toEqual([]);
});

test('facet values are cut to what the sync takes, with a warning, instead of failing the event', () => {
  const fields = Array.from({ length: 1_005 }, (_, index) => ({ name: `c${index}`, type: 'int' }));
  fields[0] = { name: 'long', type: 'text', description: 'd'.repeat(600) } as (typeof fields)[number];
  const [conversion] = deliver(event({ inputs: [{ ...event().inputs[0], facets: { schema: { fields }, documentation: { description: 'bell\u0007' } } }] })).conversions;
  const [dataset] = conversion.assets.datasets!;
  expect(dataset.columns).toHaveLength(1_000);
  expect(dataset.columns![0]).toBe('{"name":"long","type":"text"}');
  expect(dataset.description).toBeUndefined();
  expect(conversion.warnings.map((warning) => warning.pointer)).toEqual(expect.arrayContaining(['/inputs/0/facets/schema/fields/0/description', '/inputs/0/facets/schema/fields/1000', '/inputs/0/facets/documentation/description']));
  expect(conversion.problems).toEqual([]);
});

test('detection: an OpenLineage event or list of them, and nothing else', () => {
  expect(isOpenLineage(event())).toBe(true);
  expect(isOpenLineage([event()])).toBe(true);
  expect(isOpenLineage({ bomFormat: 'CycloneDX', specVersion: '1.6' })).toBe(false);
  expect(isOpenLineage({ job: 'x' })).toBe(false);
  expect(runKeys(readEvents([event(), event({ eventType: 'COMPLETE' })]).events)).toEqual([`etl/daily.orders|${RUN}`]);
});

/**
 * Every leaf of a real document is either read into the graph, or covered by a warning at it or
 * at an element above it: what "the report accounts for every element" means, checked
 * exhaustively rather than fixture by fixture.
 */
const READ = [
  /^(\/\d+)?\/(eventType|eventTime|producer|schemaURL)$/,
  /^(\/\d+)?\/run\/runId$/,
  /^(\/\d+)?\/job\/(namespace|name)$/,
  /^(\/\d+)?\/(inputs\/\d+|outputs\/\d+|dataset)\/(namespace|name)$/,
  /\/facets\/[^/]+\/(_producer|_schemaURL)$/,
  /\/facets\/documentation\/description$/,
  /\/facets\/schema\/fields(\/\d+\/fields)*\/\d+\/(name|type|description|ordinal_position)$/,
  /\/facets\/columnLineage\/(fields\/[^/]+\/inputFields|dataset)\/\d+\/(namespace|name|field|transformations\/\d+\/(type|subtype|description|masking))$/,
  /\/facets\/columnLineage\/fields\/[^/]+\/(transformationType|transformationDescription)$/,
];
function leaves(value: unknown, at = ''): string[] {
  if (typeof value !== 'object' || value === null) return [at];
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  if (entries.length === 0) return [at];
  return entries.flatMap(([key, item]) => leaves(item, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
}
function unaccounted(document: unknown, conversion: LineageConversion): string[] {
  const warned = conversion.warnings.map((warning) => warning.pointer);
  return leaves(document).filter((leaf) => !READ.some((pattern) => pattern.test(leaf)) && !warned.some((at) => leaf === at || leaf.startsWith(`${at}/`)) && !/\/(facets|inputFacets|outputFacets|inputs|outputs)$/.test(leaf));
}

const FIXTURES = ['events', 'templates'].flatMap((folder) => {
  const dir = path.join(SHARED_FIXTURES, 'openlineage', folder);
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((file) => path.join(dir, file)) : [path.join(dir, '(none)')];
});
describe.each(FIXTURES)('real fixture %s', (file) => {
  testWithSharedFile(file, 'converts with every element mapped or warned, and no problem', () => {
    const document: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(isOpenLineage(document)).toBe(true);
    const conversion = convertEvents(readEvents(document), new Map());
    expect(conversion.problems).toEqual([]);
    expect(conversion.mapped).toBe(conversion.considered);
    expect(conversion.considered).toBeGreaterThan(0);
    expect(unaccounted(document, conversion)).toEqual([]);
  });
});

const SPEC = path.join(SHARED_FIXTURES, 'openlineage/spec/OpenLineage.json');
testWithSharedFile(SPEC, 'the reader refuses no event the official schema accepts (names aside), and accepts what it refuses only as warnings', () => {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(SPEC, 'utf8'));
  const valid = ajv.compile(schema);
  const saneNames = (document: Record<string, unknown>) =>
    JSON.stringify(document).length < 50_000 &&
    [document.job, ...((document.inputs as unknown[]) ?? []), ...((document.outputs as unknown[]) ?? [])].every((named) => {
      const { namespace, name } = named as { namespace: string; name: string };
      return namespace.trim() !== '' && name.trim() !== '' && !/[\u0000-\u001F\u007F]/.test(namespace + name) && `${namespace.trim()}/${name.trim()}`.length < 512;
    });
  const json = fc.jsonValue({ maxDepth: 2 });
  const mutation = fc.record({ path: fc.constantFrom('eventType', 'eventTime', 'run', 'run.runId', 'job', 'job.name', 'inputs', 'outputs', 'inputs.0.facets', 'producer'), value: fc.oneof(json, fc.constant(undefined)) });
  fc.assert(
    fc.property(fc.array(mutation, { maxLength: 3 }), (mutations) => {
      const document = event({ outputs: [output] }) as Record<string, unknown>;
      for (const { path: at, value } of mutations) {
        const keys = at.split('.');
        let parent: Record<string, unknown> | undefined = document;
        for (const key of keys.slice(0, -1)) parent = typeof parent?.[key] === 'object' && parent[key] !== null ? (parent[key] as Record<string, unknown>) : undefined;
        if (parent) parent[keys[keys.length - 1]] = value;
      }
      const roundTripped = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
      if (valid(roundTripped) && saneNames(roundTripped)) expect(readEvents(roundTripped).problems).toEqual([]);
    }),
    { numRuns: 500 },
  );
  expect(valid(event({ outputs: [output] }))).toBe(true);
});
