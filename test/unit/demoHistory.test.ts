import fs from 'node:fs';
import type { DemoComplianceFile } from '../../src/compliance/catalogueService';
import type { RelationshipInput, SyncInventoryInput } from '../../src/generated/graphql';
import { DEMO_COMPLIANCE_FILE, DEMO_ESTATE_FILE, readDemoHistory } from '../../src/seed/demoEstate';
import { DemoHistoryFile, DemoRound, planDemoRounds } from '../../src/seed/demoHistory';

const today = JSON.parse(fs.readFileSync(DEMO_ESTATE_FILE, 'utf8')).input as SyncInventoryInput;
const claimsToday = JSON.parse(fs.readFileSync(DEMO_COMPLIANCE_FILE, 'utf8')) as DemoComplianceFile;

type Item = { externalId: string } & Record<string, unknown>;
const records = (round: DemoRound | { input: Pick<SyncInventoryInput, 'assets'> }) =>
  Object.fromEntries(Object.entries(round.input.assets ?? {}).flatMap(([batch, items]) => ((items ?? []) as Item[]).map((item) => [`${batch}/${item.externalId}`, item])));
const record = (round: DemoRound, batch: string, externalId: string) => records(round)[`${batch}/${externalId}`];
const links = (relationships: readonly RelationshipInput[] | null | undefined) => (relationships ?? []).map((rel) => `${rel.from.externalId} -${rel.type}-> ${rel.to.externalId}`);
const trainedOn = (round: DemoRound, model: string) => links(round.input.relationships).filter((link) => link.startsWith(`${model} -TRAINED_ON->`));
const claim = (round: DemoRound, control: string, identifier: string) => round.claims?.satisfies.find((item) => item.control === control && item.identifier === identifier);
/** The round in force at an instant: the last one at or before it. */
const roundAt = (rounds: DemoRound[], instant: string) => rounds.filter((round) => Date.parse(round.at) <= Date.parse(instant)).pop()!;

describe('the shipped demo history', () => {
  const { rounds } = readDemoHistory();

  test('starts in July 2026, is dated in order, before today, and ends at today’s files', () => {
    expect(rounds[0].at).toBe('2026-07-01T08:00:00Z');
    const instants = rounds.map((round) => Date.parse(round.at));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(new Set(instants).size).toBe(instants.length);
    expect(Math.max(...instants)).toBeLessThan(Date.parse('2026-11-30T00:00:00Z'));
    const last = rounds[rounds.length - 1];
    expect(records(last)).toEqual(records({ input: today }));
    expect(new Set(links(last.input.relationships))).toEqual(new Set(links(today.relationships)));
    expect(rounds.every((round) => round.input.mode === 'REPLACE' && round.input.source === 'demo' && round.input.at === round.at)).toBe(true);
  });

  test('the fraud detector is retrained on a new training set on 12 October, the old TRAINED_ON ended', () => {
    expect(trainedOn(roundAt(rounds, '2026-10-12T08:59:59Z'), 'model-fraud-detect-v5')).toEqual(['model-fraud-detect-v5 -TRAINED_ON-> ds-fraud-training-2026q1']);
    expect(trainedOn(roundAt(rounds, '2026-10-12T09:00:00Z'), 'model-fraud-detect-v5')).toEqual(['model-fraud-detect-v5 -TRAINED_ON-> ds-fraud-training-2026q3']);
    expect(record(roundAt(rounds, '2026-10-11T00:00:00Z'), 'aiModels', 'model-fraud-detect-v5').modelVersion).toBe('5.0.4');
    expect(record(roundAt(rounds, '2026-10-11T00:00:00Z'), 'datasets', 'ds-fraud-training-2026q3')).toBeUndefined();
  });

  test('the agents’ runtime vendor is replaced on 7 September', () => {
    const before = roundAt(rounds, '2026-09-06T00:00:00Z');
    const after = roundAt(rounds, '2026-09-08T00:00:00Z');
    expect(record(before, 'vendors', 'vendor-nimbus-agents')).toMatchObject({ name: 'Nimbus Agent Cloud' });
    expect(links(before.input.relationships)).toContain('agent-refund -PROVIDED_BY-> vendor-nimbus-agents');
    expect(record(after, 'vendors', 'vendor-nimbus-agents')).toBeUndefined();
    expect(links(after.input.relationships)).toContain('agent-refund -PROVIDED_BY-> vendor-cirrus-ml');
    expect(links(after.input.relationships).filter((link) => link.includes('nimbus'))).toEqual([]);
  });

  test('the fraud labels stay ACTIVE through the poisoning (3 October) until quarantined on 19 November', () => {
    expect(record(roundAt(rounds, '2026-10-02T00:00:00Z'), 'datasets', 'ds-fraud-labels')).toMatchObject({ status: 'ACTIVE', recordCount: 1912000 });
    expect(record(roundAt(rounds, '2026-11-18T23:00:00Z'), 'datasets', 'ds-fraud-labels')).toMatchObject({ status: 'ACTIVE', recordCount: 1940000 });
    expect(record(roundAt(rounds, '2026-11-19T10:00:00Z'), 'datasets', 'ds-fraud-labels')).toMatchObject({ status: 'QUARANTINED' });
  });

  test('evidence valid on 2 August 2026 has expired since, and Article 10’s label review claim is downgraded on 20 November', () => {
    const onTheDay = roundAt(rounds, '2026-08-02T00:00:00Z');
    const labelReview = record(onTheDay, 'evidence', 'evidence-label-dual-review-2026q2');
    expect(Date.parse(String(labelReview.expiresAt))).toBeGreaterThan(Date.parse('2026-08-02T00:00:00Z'));
    expect(Date.parse(String(labelReview.expiresAt))).toBeLessThan(Date.parse('2026-11-30T00:00:00Z'));
    // Claims are carried by the rounds where they change; the first round has them all as of July.
    expect(claim(rounds[0], 'control-label-review-sampling', 'Article 10')?.coverage).toBe('FULL');
    expect(claim(rounds[0], 'control-data-lineage-integrity', 'Article 10')).toBeUndefined();
    const lastClaims = [...rounds].reverse().find((round) => round.claims !== null)!;
    expect(lastClaims.at).toBe('2026-11-20T16:00:00Z');
    expect(claim(lastClaims, 'control-label-review-sampling', 'Article 10')?.coverage).toBe('PARTIAL');
    expect(lastClaims.claims?.satisfies).toEqual(claimsToday.satisfies);
  });
});

describe('planDemoRounds', () => {
  const model = (externalId: string, extra: Record<string, unknown> = {}) => ({ externalId, name: externalId, ...extra });
  const rel = (from: string, to: string): RelationshipInput => ({ type: 'BASED_ON', from: { type: 'AIModel', externalId: from }, to: { type: 'AIModel', externalId: to } });
  const estate: SyncInventoryInput = { source: 's', assets: { aiModels: [model('a', { modelVersion: '2' }), model('b')] }, relationships: [rel('b', 'a')] };
  const claims: DemoComplianceFile = { source: 's-claims', estateSource: 's', satisfies: [], notApplicable: [] };
  const history = (events: DemoHistoryFile['events']): DemoHistoryFile => ({ source: 's', since: '2026-01-01T00:00:00Z', what: 'first', events, compromised: [] });

  test('works back from today: a created record leaves with its relationships, a change is undone', () => {
    const rounds = planDemoRounds(estate, claims, history([
      { at: '2026-02-01T00:00:00Z', what: 'b appears', created: { aiModels: ['b'] } },
      { at: '2026-03-01T00:00:00Z', what: 'a moves on', changed: { aiModels: [{ externalId: 'a', before: { modelVersion: '1' } }] } },
    ]));
    expect(rounds.map((round) => [round.at, Object.keys(records(round)), links(round.input.relationships), record(round, 'aiModels', 'a').modelVersion])).toEqual([
      ['2026-01-01T00:00:00Z', ['aiModels/a'], [], '1'],
      ['2026-02-01T00:00:00Z', ['aiModels/a', 'aiModels/b'], ['b -BASED_ON-> a'], '1'],
      ['2026-03-01T00:00:00Z', ['aiModels/a', 'aiModels/b'], ['b -BASED_ON-> a'], '2'],
    ]);
    expect(rounds.map((round) => round.claims === null)).toEqual([false, true, true]);
  });

  test('an event that does not match today, or changes none of today’s records, is refused', () => {
    expect(() => planDemoRounds(estate, claims, history([{ at: '2026-02-01T00:00:00Z', what: 'x', created: { aiModels: ['c'] } }]))).toThrow('created AIModel|c is not there after it');
    expect(() => planDemoRounds(estate, claims, history([{ at: '2026-02-01T00:00:00Z', what: 'x', changed: { aiModels: [{ externalId: 'b', before: { task: 't' } }] } }]))).toThrow('b.task is not set after it');
    expect(() => planDemoRounds(estate, claims, history([{ at: '2026-02-01T00:00:00Z', what: 'x', linked: [rel('b', 'a')] }]))).toThrow('changes none of today');
    expect(() =>
      planDemoRounds(estate, claims, history([{ at: '2026-02-01T00:00:00Z', what: 'x', deleted: { aiModels: [model('gone')] }, changed: { aiModels: [{ externalId: 'a', before: { modelVersion: '1' } }] } }])),
    ).not.toThrow();
  });

  test('instants must increase', () => {
    expect(() => planDemoRounds(estate, claims, history([{ at: '2025-12-01T00:00:00Z', what: 'x', changed: { aiModels: [{ externalId: 'a', before: { modelVersion: '1' } }] } }]))).toThrow('is not after the instant before it');
  });
});
