import type { Principal } from '../../src/auth/access';
import { createTestApi, TestApi, unique } from '../support/api';
import { KEY_LOOKUP, SYNC } from '../support/estateFixture';
import { timeline } from '../support/timeline';
import { viewer, compliance, syncFor } from '../support/principals';

/**
 * Shadow AI (issue 15): only a source declared a discovery source reports discovered assets; each
 * is shadow AI until registered or dismissed; shadowAI groups them by department, owner and data,
 * now or as of an instant.
 */

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());


const DECLARE = `mutation($source: String!, $kind: DiscoveryKind!, $description: String) {
  declareDiscoverySource(source: $source, kind: $kind, description: $description) { id source externalId kind version }
}`;
const REGISTER = `mutation($id: ID!, $assetId: ID!) { registerDiscoveredAsset(id: $id, assetId: $assetId) { id shadowStatus registeredAs { name } } }`;
const DISMISS = `mutation($id: ID!, $reason: String!) { dismissDiscoveredAsset(id: $id, reason: $reason) { id shadowStatus dismissedReason dismissedAt } }`;
const SHADOW = `query($asOf: DateTime) { shadowAI(asOf: $asOf) {
  asOf
  items { id name shadowStatus }
  byDepartment { department items { name } }
  byOwner { owner { name } items { name } }
  byData { dataset { name } items { name } }
} }`;

const idOf = async (type: string, source: string, externalId: string) => (await api.data(KEY_LOOKUP, { type, source, externalId })).entityByKey.id as string;

/** An inventory with an owner, a dataset and a registered model, and a declared discovery source reporting three finds. */
async function discoveries() {
  const estate = unique('estate');
  const casb = unique('casb');
  await api.data(SYNC, {
    input: {
      source: estate,
      assets: {
        owners: [{ externalId: 'ops', name: `Ops ${estate}` }],
        datasets: [{ externalId: 'crm', name: `CRM ${estate}`, containsPersonalData: true }],
        aiModels: [{ externalId: 'writer', name: 'Writer' }],
      },
    },
  });
  await api.data(DECLARE, { source: casb, kind: 'CASB' }, compliance);
  const own = (type: string, externalId: string) => ({ type, externalId, source: estate });
  await api.data(
    SYNC,
    {
      input: {
        source: casb,
        assets: {
          discoveredAssets: [
            { externalId: 'notes-bot', name: `Notes bot ${casb}`, kind: 'SAAS_APP', department: 'Collections', userCount: 14, firstSeenAt: '2026-10-20T00:00:00Z' },
            { externalId: 'sheet-copilot', name: `Sheet copilot ${casb}`, kind: 'BROWSER_EXTENSION', department: 'Credit' },
            { externalId: 'writer-ext', name: `Writer extension ${casb}`, kind: 'BROWSER_EXTENSION' },
          ],
        },
        relationships: [
          { type: 'OWNED_BY', from: { type: 'DiscoveredAsset', externalId: 'notes-bot' }, to: own('Owner', 'ops') },
          { type: 'TOUCHES', from: { type: 'DiscoveredAsset', externalId: 'notes-bot' }, to: own('Dataset', 'crm') },
          { type: 'TOUCHES', from: { type: 'DiscoveredAsset', externalId: 'sheet-copilot' }, to: own('Dataset', 'crm') },
        ],
      },
    },
    syncFor(casb),
  );
  return {
    estate,
    casb,
    notes: await idOf('DiscoveredAsset', casb, 'notes-bot'),
    sheet: await idOf('DiscoveredAsset', casb, 'sheet-copilot'),
    writerExt: await idOf('DiscoveredAsset', casb, 'writer-ext'),
    model: await idOf('AIModel', estate, 'writer'),
    owner: await idOf('Owner', estate, 'ops'),
    dataset: await idOf('Dataset', estate, 'crm'),
  };
}

/** The report's parts that concern one test's discovery source (other tests write shadow AI too). */
function mine(report: Record<string, any>, casb: string) {
  const ours = (items: Array<{ name: string }>) => items.filter((item) => item.name.endsWith(casb)).map((item) => item.name);
  return {
    items: ours(report.items),
    byDepartment: report.byDepartment.map((group: any) => [group.department, ours(group.items)]).filter(([, items]: [string, string[]]) => items.length > 0),
    byOwner: report.byOwner.map((group: any) => [group.owner?.name ?? null, ours(group.items)]).filter(([, items]: [string, string[]]) => items.length > 0),
    byData: report.byData.map((group: any) => [group.dataset.name, ours(group.items)]).filter(([, items]: [string, string[]]) => items.length > 0),
  };
}

test('a declared discovery source reports; shadow AI by department, owner and data; registered and dismissed finds leave it', async () => {
  const world = await discoveries();
  const { estate, casb } = world;
  const before = mine((await api.data(SHADOW)).shadowAI, casb);
  expect(before.items).toEqual([`Notes bot ${casb}`, `Sheet copilot ${casb}`, `Writer extension ${casb}`]);
  expect(before.byData).toEqual([[`CRM ${estate}`, [`Notes bot ${casb}`, `Sheet copilot ${casb}`]]]);
  expect(before.byOwner).toEqual(expect.arrayContaining([[`Ops ${estate}`, [`Notes bot ${casb}`]], [null, expect.arrayContaining([`Sheet copilot ${casb}`, `Writer extension ${casb}`])]]));
  expect(before.byDepartment).toEqual(expect.arrayContaining([['Collections', [`Notes bot ${casb}`]], ['Credit', [`Sheet copilot ${casb}`]]]));

  const registered = await api.data(REGISTER, { id: world.writerExt, assetId: world.model }, compliance);
  expect(registered.registerDiscoveredAsset).toMatchObject({ shadowStatus: 'REGISTERED', registeredAs: [{ name: 'Writer' }] });
  const dismissed = await api.data(DISMISS, { id: world.sheet, reason: 'Blocked at the proxy since 2 November' }, compliance);
  expect(dismissed.dismissDiscoveredAsset).toMatchObject({ shadowStatus: 'DISMISSED', dismissedReason: 'Blocked at the proxy since 2 November' });
  expect(mine((await api.data(SHADOW)).shadowAI, casb).items).toEqual([`Notes bot ${casb}`]);

  // The discovery source reporting again (even REPLACE) neither undoes the dismissal nor the registration.
  await api.data(
    SYNC,
    {
      input: {
        source: casb,
        mode: 'REPLACE',
        assets: {
          discoveredAssets: [
            { externalId: 'notes-bot', name: `Notes bot ${casb}`, department: 'Collections', lastSeenAt: '2026-11-29T00:00:00Z' },
            { externalId: 'sheet-copilot', name: `Sheet copilot ${casb}`, department: 'Credit' },
            { externalId: 'writer-ext', name: `Writer extension ${casb}` },
          ],
        },
      },
    },
    syncFor(casb),
  );
  const after = await api.data(`query($a: ID!, $b: ID!) { a: node(id: $a) { ... on DiscoveredAsset { shadowStatus } } b: node(id: $b) { ... on DiscoveredAsset { shadowStatus } } }`, { a: world.sheet, b: world.writerExt });
  expect(after).toEqual({ a: { shadowStatus: 'DISMISSED' }, b: { shadowStatus: 'REGISTERED' } });
});

test('only a declared discovery source may report discovered assets; declaring takes COMPLIANCE or ADMIN', async () => {
  const source = unique('not-declared');
  const report = (caller: Principal) =>
    api.execute(SYNC, { input: { source, assets: { discoveredAssets: [{ externalId: 'x', name: 'X' }] } } }, caller);
  const undeclared = await report(syncFor(source));
  expect(undeclared.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(undeclared.errors?.[0].message).toMatch(/not a declared discovery source/);
  // Not even ADMIN writes discoveries under a source that is not declared.
  expect((await report({ name: 'admin', kind: 'apiKey', role: 'ADMIN' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  for (const caller of [viewer, syncFor(source)]) {
    const refused = await api.execute(DECLARE, { source, kind: 'EXPENSE_SCAN' }, caller);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
  // A SYNC key cannot declare itself through a sync either.
  const viaSync = await api.execute(SYNC, { input: { source: 'programme', assets: { discoverySources: [{ externalId: source, name: source }] } } }, syncFor(source));
  expect(viaSync.errors?.[0].extensions?.code).toBe('FORBIDDEN');

  const declared = await api.data(DECLARE, { source, kind: 'EXPENSE_SCAN', description: 'Monthly card expense scan' }, compliance);
  expect(declared.declareDiscoverySource).toMatchObject({ source: 'programme', externalId: source, kind: 'EXPENSE_SCAN', version: 1 });
  expect((await report(syncFor(source))).errors).toBeUndefined();
  // Another source's SYNC key cannot report under this one.
  expect((await report(syncFor(unique('other')))).errors?.[0].extensions?.code).toBe('FORBIDDEN');

  // Withdrawn (deleted), the source may no longer report.
  await api.data(`mutation($id: ID!) { deleteEntity(id: $id) { id } }`, { id: declared.declareDiscoverySource.id }, compliance);
  const withdrawn = await api.execute(SYNC, { input: { source, assets: { discoveredAssets: [{ externalId: 'y', name: 'Y' }] } } }, syncFor(source));
  expect(withdrawn.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('who registers and dismisses: registration by COMPLIANCE or the source own SYNC key, dismissal by COMPLIANCE; hostile input is coded', async () => {
  const world = await discoveries();
  const cases: Array<[string, Record<string, unknown>, Principal, string]> = [
    [REGISTER, { id: world.notes, assetId: world.model }, viewer, 'FORBIDDEN'],
    [REGISTER, { id: world.notes, assetId: world.model }, syncFor(unique('other')), 'FORBIDDEN'],
    [DISMISS, { id: world.notes, reason: 'not AI' }, viewer, 'FORBIDDEN'],
    [DISMISS, { id: world.notes, reason: 'not AI' }, syncFor(world.casb), 'FORBIDDEN'],
    [REGISTER, { id: world.notes, assetId: world.owner }, compliance, 'BAD_USER_INPUT'],
    [REGISTER, { id: world.model, assetId: world.model }, compliance, 'BAD_USER_INPUT'],
    [REGISTER, { id: world.notes, assetId: '00000000-0000-0000-0000-000000000000' }, compliance, 'NOT_FOUND'],
    [REGISTER, { id: 'not-an-id', assetId: world.model }, compliance, 'NOT_FOUND'],
    [DISMISS, { id: world.notes, reason: '   ' }, compliance, 'BAD_USER_INPUT'],
    [DISMISS, { id: world.notes, reason: 'a\u0000b' }, compliance, 'BAD_USER_INPUT'],
    [DISMISS, { id: world.notes, reason: 'x'.repeat(100_000) }, compliance, 'BAD_USER_INPUT'],
    [DECLARE, { source: ' ', kind: 'CASB' }, compliance, 'BAD_USER_INPUT'],
    [DECLARE, { source: 'a\nb', kind: 'CASB' }, compliance, 'BAD_USER_INPUT'],
  ];
  for (const [query, variables, caller, code] of cases) {
    const result = await api.execute(query, variables, caller);
    expect(result.errors?.[0].extensions?.code).toBe(code);
  }
  expect((await api.data(`query($id: ID!) { node(id: $id) { ... on DiscoveredAsset { shadowStatus version } } }`, { id: world.notes })).node).toEqual({ shadowStatus: 'SHADOW', version: 1 });

  await api.data(REGISTER, { id: world.notes, assetId: world.model }, syncFor(world.casb));
  // Registered, it is no longer shadow AI to dismiss.
  expect((await api.execute(DISMISS, { id: world.notes, reason: 'late' }, compliance)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('two callers at once: one registration and one dismissal each, recorded once', async () => {
  const world = await discoveries();
  const registrations = await Promise.all([1, 2].map(() => api.execute(REGISTER, { id: world.notes, assetId: world.model }, compliance)));
  expect(registrations.map((result) => result.errors)).toEqual([undefined, undefined]);
  const dismissals = await Promise.all([1, 2].map(() => api.execute(DISMISS, { id: world.sheet, reason: 'duplicate of the CRM add-in' }, compliance)));
  expect(dismissals.map((result) => result.errors)).toEqual([undefined, undefined]);
  const read = await api.data(`query($a: ID!, $b: ID!) {
    a: node(id: $a) { ... on DiscoveredAsset { relationships(types: [REGISTERED_AS]) { type } history { action relationshipType } } }
    b: node(id: $b) { ... on DiscoveredAsset { version history { action } } }
  }`, { a: world.notes, b: world.sheet });
  expect(read.a.relationships).toHaveLength(1);
  expect(read.a.history.filter((event: { relationshipType: string | null }) => event.relationshipType === 'REGISTERED_AS')).toHaveLength(1);
  expect(read.b.version).toBe(2);
});

test('as of an instant: what was shadow AI then, with its owners and data then', async () => {
  const { instants, step } = timeline();
  let world!: Awaited<ReturnType<typeof discoveries>>;
  await step(async () => {
    world = await discoveries();
  });
  await step(() => api.data(REGISTER, { id: world.notes, assetId: world.model }, compliance));
  await step(() => api.data(`mutation($id: ID!) { updateEntity(id: $id, patch: { name: "Renamed CRM" }) { id } }`, { id: world.dataset }));
  await step(() => api.data(DISMISS, { id: world.sheet, reason: 'not AI' }, compliance));
  const at = (index: number) => api.data(SHADOW, { asOf: instants[index].toISOString() });
  const first = await at(0);
  expect(first.shadowAI.asOf).toBe(instants[0].toISOString());
  expect(mine(first.shadowAI, world.casb).items).toEqual([`Notes bot ${world.casb}`, `Sheet copilot ${world.casb}`, `Writer extension ${world.casb}`]);
  expect(first.shadowAI.items.find((item: { name: string }) => item.name.startsWith('Notes bot') && item.name.endsWith(world.casb)).shadowStatus).toBe('SHADOW');
  const second = mine((await at(1)).shadowAI, world.casb);
  expect(second.items).toEqual([`Sheet copilot ${world.casb}`, `Writer extension ${world.casb}`]);
  expect(second.byData).toEqual([[`CRM ${world.estate}`, [`Sheet copilot ${world.casb}`]]]);
  expect(mine((await at(2)).shadowAI, world.casb).byData).toEqual([['Renamed CRM', [`Sheet copilot ${world.casb}`]]]);
  expect(mine((await at(3)).shadowAI, world.casb).items).toEqual([`Writer extension ${world.casb}`]);
  const bad = await api.execute(SHADOW, { asOf: '1900-01-01T00:00:00Z' });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('what a discovery source reports under the exact name of a registered record is registered as it at once, not shadow AI', async () => {
  const world = await discoveries();
  const known = `Known copilot ${world.estate}`;
  await api.data(SYNC, { input: { source: world.estate, assets: { agents: [{ externalId: 'known', name: known }] } } });
  const report = await api.data(SYNC, { input: { source: world.casb, assets: { discoveredAssets: [{ externalId: 'known', name: known }, { externalId: 'other', name: `Other ${world.casb}` }] } } }, syncFor(world.casb));
  expect(report.syncInventory.relationships.created).toBe(1);
  const found = await api.data(`query($source: String!) { entityByKey(type: DiscoveredAsset, source: $source, externalId: "known") { ... on DiscoveredAsset { shadowStatus registeredAs { name } } } }`, { source: world.casb });
  expect(found.entityByKey).toEqual({ shadowStatus: 'REGISTERED', registeredAs: [{ name: known }] });
  expect(mine((await api.data(SHADOW)).shadowAI, world.casb).items).toContain(`Other ${world.casb}`);
  expect((await api.data(SHADOW)).shadowAI.items.map((item: { name: string }) => item.name)).not.toContain(known);
  // Sent again, the match is no change.
  const again = await api.data(SYNC, { input: { source: world.casb, assets: { discoveredAssets: [{ externalId: 'known', name: known }] } } }, syncFor(world.casb));
  expect(again.syncInventory.relationships).toMatchObject({ created: 0, unchanged: 1 });
});
