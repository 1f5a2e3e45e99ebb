import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Principal } from '../../src/auth/access';
import { renderQuarterlyReport } from '../../src/report/quarterlyReport';
import type { QuarterlyReport } from '../../src/report/model';
import { Quarter, quarterAt, quarterBefore } from '../../src/report/quarter';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { rel } from '../support/timeline';

/**
 * The quarterly report on the real Neo4j, from a register this test writes through dated syncs
 * over the last three quarters (relative to today, so that it keeps working as time passes):
 *
 *   q3 (three quarters ago): risks R1 (5 × 4) and R2 (2 × 2) open, incident I1 open, evidence E1
 *       (expiring early in q1) supporting control C1;
 *   q2: R2 closed, incident I2 opened;
 *   q1 (last quarter): I1 resolved, risk R3 (3 × 5) opened; E1 expires;
 *   now: incident I3 opened, evidence E2 valid for another year.
 *
 * Other tests write to the same database at once, so figures are checked as at least this test's
 * own, and its records by id in the lists.
 */

let api: TestApi;
let base: string;
const source = unique('report');
const now = new Date();
const q0 = quarterAt(now);
const [q1, q2, q3] = [1, 2, 3].map((steps) => quarterBefore(q0, steps));
const day = (quarter: Quarter, days: number) => new Date(quarter.start.getTime() + days * 86_400_000).toISOString();
const name = (what: string) => `${what} ${source}`;
const ids: Record<string, string> = {};
/** A risk named as an attacker would: every rendering must keep it text. */
const HOSTILE = `<script>alert(1)</script> [x](javascript:alert(1)) ${source}`;

const ADMIN: Principal = { name: 'report-admin', kind: 'apiKey', role: 'ADMIN' };
const ROLES: Principal[] = [
  { name: 'report-viewer', kind: 'apiKey', role: 'VIEWER' },
  { name: 'report-compliance', kind: 'apiKey', role: 'COMPLIANCE' },
  { name: 'report-sync', kind: 'apiKey', role: 'SYNC', source: unique('other-source') },
  ADMIN,
];

const risk = (externalId: string, fields: Record<string, unknown>) => ({ externalId, name: name(externalId), ...fields });
const incident = (externalId: string, fields: Record<string, unknown>) => ({ externalId, name: name(externalId), ...fields });

/**
 * The programme as it stands now: V1 failed its review three quarters ago (overdue since), V2 passed
 * today, V3 was never assessed; M1 was inventoried deployed with no approval behind decision D1
 * (which rests on V1), M2 moved to DEPLOYED without one (a recorded exception), M3 was approved on a
 * condition due yesterday and not met; a CASB found a notes bot touching customer data; A0 has no
 * owner (named to sort first among models, as the report lists the first of them).
 */
async function programme() {
  const hour = 3_600_000;
  const ago = (hours: number) => new Date(now.getTime() - hours * hour).toISOString();
  const good = { trainsOnCustomerData: false, retentionDays: 30, modelProvenanceDisclosed: true, changeNoticeDays: 90, incidentNotificationHours: 24, dataResidencyAcceptable: true, certifications: ['ISO/IEC 42001', 'SOC 2 Type II'], rightToAudit: true };
  const bad = { trainsOnCustomerData: true, retentionDays: 365, modelProvenanceDisclosed: false, changeNoticeDays: 0, incidentNotificationHours: 168, dataResidencyAcceptable: false, certifications: [], rightToAudit: false };
  await api.data(
    SYNC,
    {
      input: {
        source,
        assets: {
          vendors: [1, 2, 3].map((n) => ({ externalId: `V${n}`, name: name(`V${n}`) })),
          vendorAssessments: [
            { externalId: 'VA1', name: name('VA1'), assessedAt: day(q3, 40), ...bad },
            { externalId: 'VA2', name: name('VA2'), assessedAt: ago(2), ...good },
          ],
          owners: [{ externalId: 'APPROVER', name: name('APPROVER'), approvesStages: ['APPROVED', 'DEPLOYED'] }],
          aiModels: [
            { externalId: 'M1', name: name('M1'), lifecycleStage: 'DEPLOYED' },
            { externalId: 'M2', name: name('M2'), lifecycleStage: 'VALIDATION' },
            { externalId: 'M3', name: name('M3'), lifecycleStage: 'VALIDATION' },
            { externalId: 'A0', name: `A0 unowned ${source}` },
          ],
          decisions: [{ externalId: 'D1', name: name('D1'), impactLevel: 'CRITICAL' }],
          gateApprovals: [
            { externalId: 'G3', name: name('G3'), stage: 'DEPLOYED', outcome: 'CONDITIONAL', conditions: ['Bias test on the 2026 applicants'], conditionsDueAt: ago(24), decidedAt: ago(48) },
          ],
          datasets: [{ externalId: 'CRM', name: name('CRM'), containsPersonalData: true }],
        },
        relationships: [
          rel('ASSESSES', ['VendorAssessment', 'VA1'], ['Vendor', 'V1']),
          rel('ASSESSED_BY', ['VendorAssessment', 'VA1'], ['Owner', 'O1']),
          rel('ASSESSES', ['VendorAssessment', 'VA2'], ['Vendor', 'V2']),
          rel('ASSESSED_BY', ['VendorAssessment', 'VA2'], ['Owner', 'O1']),
          rel('PROVIDED_BY', ['AIModel', 'M1'], ['Vendor', 'V1']),
          rel('INFORMS', ['AIModel', 'M1'], ['Decision', 'D1']),
          rel('APPROVES', ['GateApproval', 'G3'], ['AIModel', 'M3']),
          rel('APPROVED_BY', ['GateApproval', 'G3'], ['Owner', 'APPROVER']),
          ...['M1', 'M2', 'M3'].map((model) => rel('OWNED_BY', ['AIModel', model], ['Owner', 'O1'])),
        ],
      },
    },
    ADMIN,
  );
  await api.data(SYNC, { input: { source, assets: { aiModels: [{ externalId: 'M2', name: name('M2'), lifecycleStage: 'DEPLOYED' }] } } }, ADMIN);
  const casb = unique('report-casb');
  await api.data('mutation($s: String!) { declareDiscoverySource(source: $s, kind: CASB) { id } }', { s: casb }, ADMIN);
  await api.data(
    SYNC,
    {
      input: {
        source: casb,
        assets: { discoveredAssets: [{ externalId: 'notes', name: name('notes bot'), kind: 'SAAS_APP', department: 'Collections', userCount: 14, firstSeenAt: ago(72) }] },
        relationships: [{ type: 'TOUCHES', from: { type: 'DiscoveredAsset', externalId: 'notes' }, to: { type: 'Dataset', externalId: 'CRM', source } }],
      },
    },
    ADMIN,
  );
}

// The app's start and seven syncs take minutes at worst on a machine other test files share.
beforeAll(async () => {
  // Gate moves without an approval are let through and recorded as exceptions, so that one shows.
  api = await createTestApi({ MAX_PAGE_SIZE: '50', GATE_ENFORCEMENT: 'record' });
  base = `http://127.0.0.1:${api.app.port}`;
  const sync = (at: string | undefined, assets: Record<string, unknown>, relationships: unknown[] = []) => api.data(SYNC, { input: { source, ...(at ? { at } : {}), assets, relationships } }, ADMIN);
  await sync(
    day(q3, 40),
    {
      risks: [
        risk('R1', { category: 'TRAINING_DATA_POISONING', likelihood: 5, impact: 4, status: 'TREATING' }),
        risk('R2', { category: 'PROMPT_INJECTION', likelihood: 2, impact: 2, status: 'IDENTIFIED' }),
        { externalId: 'RX', name: HOSTILE, likelihood: 1, impact: 1, status: 'IDENTIFIED' },
      ],
      incidents: [incident('I1', { severity: 'HIGH', status: 'OPEN', detectedAt: day(q3, 39) })],
      controls: [{ externalId: 'C1', name: name('C1'), implementationStatus: 'IMPLEMENTED' }],
      evidence: [{ externalId: 'E1', name: name('E1'), kind: 'AUDIT_REPORT', expiresAt: day(q1, 20) }],
      owners: [{ externalId: 'O1', name: name('O1'), kind: 'PERSON' }],
    },
    [rel('SUPPORTS', ['Evidence', 'E1'], ['Control', 'C1']), rel('OWNED_BY', ['Risk', 'R1'], ['Owner', 'O1']), rel('OWNED_BY', ['Evidence', 'E1'], ['Owner', 'O1'])],
  );
  await sync(day(q2, 40), { risks: [risk('R2', { status: 'CLOSED' })], incidents: [incident('I2', { severity: 'MEDIUM', status: 'INVESTIGATING', detectedAt: day(q2, 39) })] });
  await sync(day(q1, 40), {
    risks: [risk('R3', { category: 'THIRD_PARTY', likelihood: 3, impact: 5, status: 'ASSESSED' })],
    incidents: [incident('I1', { status: 'RESOLVED', resolvedAt: day(q1, 40) })],
  });
  await sync(undefined, {
    incidents: [incident('I3', { severity: 'CRITICAL', status: 'OPEN', detectedAt: new Date(now.getTime() - 3_600_000).toISOString() })],
    evidence: [{ externalId: 'E2', name: name('E2'), expiresAt: new Date(now.getTime() + 365 * 86_400_000).toISOString() }],
  });
  await programme();
  for (const [type, externalId] of [['Risk', 'R1'], ['Risk', 'R2'], ['Risk', 'R3'], ['Risk', 'RX'], ['Incident', 'I1'], ['Incident', 'I2'], ['Incident', 'I3'], ['Evidence', 'E1'], ['Evidence', 'E2'], ['Vendor', 'V1'], ['Vendor', 'V2'], ['Vendor', 'V3'], ['AIModel', 'M1'], ['AIModel', 'M2'], ['AIModel', 'M3'], ['AIModel', 'A0']]) {
    const { entityByKey } = await api.data('query($t: EntityType!, $s: String!, $x: String!) { entityByKey(type: $t, source: $s, externalId: $x) { id } }', { t: type, s: source, x: externalId });
    ids[externalId] = entityByKey.id;
  }
}, 600_000);
afterAll(() => api?.close());

/** Every section of the page, in order. */
const SECTIONS = ['summary', 'risk-heat-map', 'trend', 'incident-response', 'coverage', 'vendor-tiers', 'actions', 'overdue-vendor-reviews', 'ungated-models', 'expired-evidence', 'incidents-past-target', 'shadow-ai', 'unowned-assets'];

/** The report as the command makes it, for a caller. */
const report = (quarter: string | undefined, format: 'html' | 'md' = 'html', caller: Principal = ROLES[0]) =>
  renderQuarterlyReport(api.app.server.apollo, api.app.server.createContext('test', caller), { quarter, format });

const mine = (rows: Array<{ id: string }>, ...keys: string[]) => keys.filter((key) => rows.some((row) => row.id === ids[key]));
const point = (built: QuarterlyReport, quarter: Quarter) => built.trend.find((entry) => entry.quarter === quarter.label);

/** Open risks and incidents at an instant, asked of the API directly. */
async function openAt(asOf: string) {
  const data = await api.data(
    `query($asOf: DateTime) { r: risks(first: 1, asOf: $asOf) { totalCount } rc: risks(filter: { status: ["CLOSED"] }, first: 1, asOf: $asOf) { totalCount }
      i: incidents(first: 1, asOf: $asOf) { totalCount } ic: incidents(filter: { status: ["RESOLVED", "CLOSED"] }, first: 1, asOf: $asOf) { totalCount } }`,
    { asOf },
  );
  return { openRisks: data.r.totalCount - data.rc.totalCount, openIncidents: data.i.totalCount - data.ic.totalCount };
}

test('last quarter is read as it stood at its end: its register on the heat map, its trend back to where this test’s history begins, expired evidence and open incidents', async () => {
  const { report: built, text } = await report(q1.label);
  expect(built.quarter.label).toBe(q1.label);
  expect(built.closed).toBe(true);
  expect(built.instant).toBe(new Date(q1.end.getTime() - 1).toISOString());

  // R2 was closed in q2; R1 and R3 were open at the end of q1.
  expect(mine(built.openRisks, 'R1', 'R2', 'R3')).toEqual(['R1', 'R3']);
  expect(built.heatMap.cells[4][3]).toBeGreaterThanOrEqual(1);
  expect(built.heatMap.cells[2][4]).toBeGreaterThanOrEqual(1);
  expect(built.openRisks.length).toBe(built.heatMap.cells.flat().reduce((sum, count) => sum + count, 0) + built.heatMap.unscored);
  // I1 was resolved during q1, I2 still investigated, I3 not yet opened.
  expect(mine(built.actions.openIncidents, 'I1', 'I2', 'I3')).toEqual(['I2']);
  // I2 (MEDIUM) was due contained 7 days and closed 60 days after detection, both before the end of q1.
  const i2 = built.actions.openIncidents.find((row) => row.id === ids.I2)!;
  expect(i2.daysOpen).toBe(Math.floor((Date.parse(built.instant) - Date.parse(day(q2, 39))) / 86_400_000));
  expect(i2).toMatchObject({ containBy: day(q2, 46), closeBy: day(q2, 99), lateOn: ['containment', 'closure'], pastTarget: true, daysPastTarget: i2.daysOpen! - 7 });
  // E1 expired early in q1; E2 did not exist yet.
  expect(mine(built.actions.expiredEvidence, 'E1', 'E2')).toEqual(['E1']);
  const e1 = built.actions.expiredEvidence.find((row) => row.id === ids.E1)!;
  expect(e1.supports.map((control) => control.name)).toEqual([name('C1')]);
  expect(e1.owners.map((owner) => owner.name)).toEqual([name('O1')]);

  // The trend reaches back to q3 at least (this test's first dated sync), ends with q1, in order.
  const labels = built.trend.map((entry) => entry.quarter);
  expect(labels.slice(-3)).toEqual([q3.label, q2.label, q1.label]);
  expect(labels.length).toBeLessThanOrEqual(8);
  expect(point(built, q3)).toMatchObject({ at: new Date(q3.end.getTime() - 1).toISOString() });
  expect(point(built, q3)!.openRisks).toBeGreaterThanOrEqual(3);
  expect(point(built, q3)!.openIncidents).toBeGreaterThanOrEqual(1);
  expect(point(built, q2)!.openIncidents).toBeGreaterThanOrEqual(2);
  expect(point(built, q1)).toMatchObject({ openRisks: built.openRisks.length, openIncidents: built.actions.openIncidents.length });
  // Quarters that no one else writes into: the API's own counts at those instants.
  for (const quarter of [q3, q2]) expect(point(built, quarter)).toMatchObject(await openAt(point(built, quarter)!.at));

  // Coverage of every loaded framework, its counts adding up.
  const euAiAct = built.coverage.find((row) => row.framework.key === 'eu-ai-act')!;
  expect(euAiAct.total).toBeGreaterThan(0);
  expect(euAiAct.counts.reduce((sum, count) => sum + count.count, 0)).toBe(euAiAct.total);

  // The page shows each of these.
  for (const section of SECTIONS) expect(text).toContain(`data-section="${section}"`);
  expect(text).toContain(name('R1'));
  expect(text).toContain(name('E1'));
  expect(text).toContain(name('I2'));
  expect(text).not.toContain(name('I1'));
  expect(text).toContain(`Open incidents past their targets (${built.actions.openIncidents.filter((row) => row.pastTarget).length})`);
  expect(text).toContain(`data-likelihood="5" data-impact="4" data-count="${built.heatMap.cells[4][3]}"`);
  expect(text).toContain(`data-series="risks" data-quarter="${q3.label}" data-value="${point(built, q3)!.openRisks}"`);
  expect(text).toContain('data-framework="eu-ai-act"');
  expect(text).toContain(`Figures as they stood at the end of the quarter (${built.instant})`);
});

test('the current quarter reads now: what opened since shows, and the Markdown tells the same figures', async () => {
  const { report: built, text } = await report(q0.label, 'md');
  expect(built.closed).toBe(false);
  expect(built.trend[built.trend.length - 1].quarter).toBe(q0.label);
  expect(mine(built.openRisks, 'R1', 'R2', 'R3')).toEqual(['R1', 'R3']);
  expect(mine(built.actions.openIncidents, 'I1', 'I2', 'I3')).toEqual(['I2', 'I3']);
  // I3, critical, was detected an hour ago: within its 14 days.
  expect(mine(built.actions.openIncidents.filter((row) => row.pastTarget), 'I2', 'I3')).toEqual(['I2']);
  expect(mine(built.actions.expiredEvidence, 'E1', 'E2')).toEqual(['E1']);
  for (const heading of ['## At a glance', '## Risk register: likelihood × impact', '## Trend: open risks and incidents by quarter', '## Coverage per framework', '## Needs action', '### Expired evidence', '### Open incidents past their targets']) {
    expect(text).toContain(heading);
  }
  expect(text).toContain(`| 5 | ${built.heatMap.cells[4].join(' | ')} |`);
  expect(text).toContain(`- Open incidents: ${built.actions.openIncidents.length} (`);
  expect(text).toContain(name('I2'));
  expect(text).not.toContain(name('I3'));
  expect(text).toContain('The quarter is still running');

  // The programme as it stands now.
  const tierOf = (key: string) => built.vendorTiers.find((group) => group.vendors.some((entry) => entry.review.vendor.id === ids[key]));
  expect([tierOf('V1')?.tier, tierOf('V2')?.tier, tierOf('V3')?.tier]).toEqual(['CRITICAL', 'LOW', null]);
  expect(tierOf('V1')!.vendors.find((entry) => entry.review.vendor.id === ids.V1)!.highImpactDecisions).toEqual([name('D1')]);
  const reviews = built.actions.vendorReviews.filter((review) => [ids.V1, ids.V2, ids.V3].includes(review.vendor.id));
  expect(reviews.map((review) => [review.vendor.name, review.failed, review.overdue])).toEqual([
    [name('V3'), false, true],
    [name('V1'), true, true],
  ]);
  const gate = (key: string) => built.actions.gates.find((found) => found.subject.id === ids[key]);
  expect(gate('M1')).toMatchObject({ reasons: ['no passing approval for its stage (DEPLOYED)'], decisions: [name('D1')] });
  expect(gate('M2')!.reasons).toEqual([expect.stringMatching(/^Gate exception: .* past DEPLOYED without approval$/)]);
  expect(gate('M3')!.reasons).toEqual([expect.stringMatching(new RegExp(`^conditions of ${name('G3')} \\d+ days overdue: Bias test on the 2026 applicants$`))]);
  const shadow = built.actions.shadowAI.find((item) => item.name === name('notes bot'))!;
  expect(shadow).toMatchObject({ department: 'Collections', userCount: 14, touches: [{ name: name('CRM'), containsPersonalData: true }] });
  expect(built.actions.unownedAssets.total).toBeGreaterThanOrEqual(1);
  expect(mine(built.actions.unownedAssets.items, 'A0', 'M1', 'M2', 'M3')).toEqual(['A0']);
  // I3 was detected this quarter, without a category.
  expect(built.incidentResponse.every((row) => row.quarter === q0.label)).toBe(true);
  expect(built.incidentResponse.find((row) => row.category === null)!.incidents).toBeGreaterThanOrEqual(1);
  for (const heading of ['## Incident response', '## Vendors by review tier', '### Vendor reviews overdue or failed', '### Ungated or exception models', '### Shadow AI', '### Assets without an owner']) {
    expect(text).toContain(heading);
  }
  for (const shown of [name('V1'), name('V3'), name('M1'), name('M2'), name('M3'), name('notes bot'), `A0 unowned ${source}`]) expect(text).toContain(shown);
  // With no quarter named, the current one.
  expect((await report(undefined, 'md')).report.quarter.label).toBe(q0.label);
});

test('a name written by an attacker stays text in HTML and in Markdown', async () => {
  const [html, md] = await Promise.all([report(q0.label, 'html'), report(q0.label, 'md')]);
  expect(html.report.openRisks.some((row) => row.id === ids.RX)).toBe(true);
  expect(html.text).not.toContain('<script>');
  expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(md.text).not.toContain('<script>');
  expect(md.text).toContain('\\[x\\](javascript\\:alert(1))');
});

test('every role reads the report (reads are open to all), and two callers at once get the same register', async () => {
  const reports = await Promise.all(ROLES.map((caller) => report(q1.label, 'html', caller)));
  for (const { report: built } of reports) expect(mine(built.openRisks, 'R1', 'R3')).toEqual(['R1', 'R3']);
  const { createApiKey } = await api.data('mutation($n: String!) { createApiKey(name: $n, role: VIEWER) { key } }', { n: unique('report-viewer') }, ADMIN);
  const get = (authorization?: string) => fetch(`${base}/exports/report?quarter=${q1.label}`, { headers: authorization ? { authorization } : {} });
  const [first, second] = await Promise.all([get(`Bearer ${createApiKey.key}`), get(`Bearer ${createApiKey.key}`)]);
  expect([first.status, second.status]).toEqual([200, 200]);
  expect(first.headers.get('content-type')).toMatch(/^text\/html/);
  expect(first.headers.get('content-security-policy')).toContain("default-src 'none'");
  const [a, b] = [await first.text(), await second.text()];
  for (const page of [a, b]) expect(page).toContain(name('R3'));
  const unauthenticated = await get('Bearer not-a-key');
  expect(unauthenticated.status).toBe(401);
  expect(((await unauthenticated.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
});

test('GET /exports/report serves Markdown as a file, and refuses a malformed quarter, one to come, one before the history and an unknown format with a 400', async () => {
  const md = await fetch(`${base}/exports/report?quarter=${q1.label}&format=md`);
  expect(md.status).toBe(200);
  expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
  expect(md.headers.get('content-disposition')).toBe(`inline; filename="posture-${q1.label}.md"`);
  expect(await md.text()).toContain(`# AI security posture: ${q1.label}`);

  const refused = async (query: string) => {
    const response = await fetch(`${base}/exports/report?${query}`);
    expect(response.status).toBe(400);
    return ((await response.json()) as { error: { code: string; message: string } }).error;
  };
  const next = quarterBefore(q0, -1);
  expect(await refused('quarter=2026-Q5')).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^quarter must be a year and a quarter such as 2026-Q4/) });
  expect(await refused(`quarter=${encodeURIComponent('<script>')}`)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('not "<script>"') });
  expect(await refused('quarter=')).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(await refused(`quarter=${q1.label}&quarter=${q0.label}`)).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(await refused(`quarter=${next.label}`)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(new RegExp(`^quarter ${next.label} has not begun`)) });
  expect(await refused('quarter=1990-Q1')).toMatchObject({
    code: 'BAD_USER_INPUT',
    message: expect.stringMatching(/^quarter 1990-Q1 ended before the graph's history begins: asOf \(1990-03-31T23:59:59.999Z\) is before the oldest history/),
  });
  expect(await refused(`quarter=${q1.label}&format=pdf`)).toMatchObject({ code: 'BAD_USER_INPUT', message: 'format must be one of html, md' });
});

test('the report is priced as the operations it sends: under a lower MAX_QUERY_COST it is refused as any client would be', async () => {
  const strict = await createTestApi({ MAX_QUERY_COST: '4000' });
  try {
    const response = await fetch(`http://127.0.0.1:${strict.app.port}/exports/report?quarter=${q1.label}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/The query is too large: estimated cost \d+ exceeds the limit of 4000/);
  } finally {
    await strict.close();
  }
}, 600_000);

test('npm run report prints the report; a bad quarter fails with its message on stderr', () => {
  const root = path.resolve(__dirname, '../..');
  const run = (...args: string[]) =>
    spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/report.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NEO4J_URI: process.env.NEO4J_URI, SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
      timeout: 180_000,
    });
  const printed = run('--quarter', q1.label, '--format', 'md');
  expect(printed.stderr).toBe('');
  expect(printed.status).toBe(0);
  expect(printed.stdout).toContain(`# AI security posture: ${q1.label}`);
  expect(printed.stdout).toContain(name('R1'));
  const bad = run('--quarter', 'next-quarter');
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/^ReportScript failed: quarter must be a year and a quarter such as 2026-Q4/);
}, 600_000);
