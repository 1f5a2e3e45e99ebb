import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';

/**
 * Every caller × mode × dry run × payload of `syncInventory` against a source that holds every
 * kind of record a REPLACE could remove. A refused call must leave the source exactly as it was.
 */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

type Caller = 'viewer' | 'anonymousReader' | 'compliance' | 'syncOwn' | 'syncOther' | 'admin';
const CALLERS: Record<Caller, (source: string) => Principal> = {
  viewer: () => ({ name: 'key:viewer', kind: 'apiKey', role: 'VIEWER' }),
  // What a caller without credentials is in development.
  anonymousReader: () => ({ name: 'anonymous', kind: 'anonymous', role: 'VIEWER' }),
  compliance: () => ({ name: 'key:grc', kind: 'apiKey', role: 'COMPLIANCE' }),
  syncOwn: (source) => ({ name: 'key:sync-own', kind: 'apiKey', role: 'SYNC', source }),
  syncOther: () => ({ name: 'key:sync-other', kind: 'apiKey', role: 'SYNC', source: unique('elsewhere') }),
  admin: () => ({ name: 'key:admin', kind: 'apiKey', role: 'ADMIN' }),
};
type Payload = 'empty' | 'governanceOnly' | 'model';
type Estate = 'mixed' | 'governance';

/** What each call may do: only the writers of every type a call touches or removes succeed. */
function expected(caller: Caller, mode: 'UPSERT' | 'REPLACE', payload: Payload, estate: Estate): 'ok' | 'FORBIDDEN' {
  if (caller === 'admin' || caller === 'syncOwn') return 'ok';
  if (caller !== 'compliance') return 'FORBIDDEN';
  if (payload === 'model') return 'FORBIDDEN';
  // A REPLACE on a source holding operational records would remove them.
  return mode === 'REPLACE' && estate === 'mixed' ? 'FORBIDDEN' : 'ok';
}

async function seed(source: string, estate: Estate) {
  const governance = {
    risks: [{ externalId: 'risk', name: 'Risk' }],
    controls: [{ externalId: 'control', name: 'Control' }],
  };
  await api.data(SYNC, {
    input: {
      source,
      assets: estate === 'mixed' ? { ...governance, aiModels: [{ externalId: 'model', name: 'Model' }], datasets: [{ externalId: 'data', name: 'Data' }] } : governance,
      relationships: [
        { type: 'MITIGATED_BY', from: { type: 'Risk', externalId: 'risk' }, to: { type: 'Control', externalId: 'control' } },
        ...(estate === 'mixed' ? [{ type: 'TRAINED_ON', from: { type: 'AIModel', externalId: 'model' }, to: { type: 'Dataset', externalId: 'data' } }] : []),
      ],
    },
  });
}

/** A source's records with the relationships each starts, as a comparable picture. */
async function snapshot(source: string) {
  const { entities } = await api.data(
    `query($source: String!) { entities(filter: { source: $source }, first: 100) { nodes { externalId version relationships(direction: OUTGOING) { type sources } } } }`,
    { source },
  );
  return entities.nodes;
}

const payloads: Record<Payload, Record<string, unknown>> = {
  empty: {},
  governanceOnly: { risks: [{ externalId: 'risk', name: 'Risk' }] },
  model: { aiModels: [{ externalId: 'model', name: 'Model' }] },
};

const cases = (['viewer', 'anonymousReader', 'compliance', 'syncOwn', 'syncOther', 'admin'] as Caller[]).flatMap((caller) =>
  (['UPSERT', 'REPLACE'] as const).flatMap((mode) =>
    [false, true].flatMap((dryRun) =>
      (['empty', 'governanceOnly', 'model'] as Payload[]).flatMap((payload) =>
        (['mixed', 'governance'] as Estate[]).map((estate) => ({ caller, mode, dryRun, payload, estate, outcome: expected(caller, mode, payload, estate) })),
      ),
    ),
  ),
);

test.each(cases)('$caller $mode dryRun=$dryRun with $payload payload on a $estate source: $outcome', async ({ caller, mode, dryRun, payload, estate, outcome }) => {
  const source = unique('matrix');
  await seed(source, estate);
  const before = await snapshot(source);
  const result = await api.execute<{ syncInventory: { ok: boolean; assets: { deleted: number } } }>(
    SYNC,
    { input: { source, mode, dryRun, assets: payloads[payload] } },
    CALLERS[caller](source),
  );
  if (outcome === 'FORBIDDEN') {
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await snapshot(source)).toEqual(before);
    return;
  }
  expect(result.errors).toBeUndefined();
  const after = await snapshot(source);
  if (dryRun) expect(after).toEqual(before);
  else if (mode === 'REPLACE') {
    expect(after.map((node: { externalId: string }) => node.externalId).sort()).toEqual(Object.values(payloads[payload]).flatMap((items) => (items as Array<{ externalId: string }>).map((item) => item.externalId)).sort());
  }
});

test('a SYNC key cannot put another source name on a relationship, even between its own records', async () => {
  const own = unique('own');
  const victim = unique('victim');
  await seed(own, 'mixed');
  const key = CALLERS.syncOwn(own);
  const result = await api.execute(
    SYNC,
    { input: { source: victim, relationships: [{ type: 'TRAINED_ON', from: { type: 'AIModel', source: own, externalId: 'model' }, to: { type: 'Dataset', source: own, externalId: 'data' } }] } },
    key,
  );
  expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const nodes = await snapshot(own);
  const model = nodes.find((node: { externalId: string }) => node.externalId === 'model');
  expect(model.relationships).toEqual([{ type: 'TRAINED_ON', sources: [own] }]);
});
