import { parse, validate } from 'graphql';
import { buildSchema } from '../../src/server';
import { reportToHtml } from '../../src/report/html';
import { reportToMarkdown } from '../../src/report/markdown';
import { expiredEvidence, gateFindings, heatMap, openIncidents, QuarterlyReport } from '../../src/report/model';
import { REPORT_OPERATIONS } from '../../src/report/operations';
import { parseQuarter, quarterAt, quarterBefore, quarterInstant } from '../../src/report/quarter';

const schema = buildSchema();

test.each(Object.entries(REPORT_OPERATIONS))('the report’s %s operation is valid against the schema', (_name, text) => {
  expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
});

const NOW = new Date('2026-11-30T16:00:00Z');
const code = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return [(error as { extensions?: { code?: string } }).extensions?.code, (error as Error).message];
  }
  return undefined;
};

test('a quarter is its three calendar months in UTC, the last one ending at the next year', () => {
  const q4 = parseQuarter('2026-Q4', NOW);
  expect([q4.start.toISOString(), q4.end.toISOString()]).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  expect(quarterBefore(q4).label).toBe('2026-Q3');
  expect(quarterBefore(quarterAt(new Date('2026-02-10T00:00:00Z'))).label).toBe('2025-Q4');
  expect(quarterBefore(q4, 7).label).toBe('2025-Q1');
  expect(quarterAt(new Date('2026-12-31T23:59:59.999Z')).label).toBe('2026-Q4');
  expect(quarterAt(new Date('2027-01-01T00:00:00Z')).label).toBe('2027-Q1');
});

test('a closed quarter is read at its last millisecond; the running one now (null)', () => {
  expect(quarterInstant(parseQuarter('2026-Q3', NOW), NOW)?.toISOString()).toBe('2026-09-30T23:59:59.999Z');
  expect(quarterInstant(parseQuarter('2026-Q4', NOW), NOW)).toBeNull();
});

test.each([['2026-Q5'], ['2026-q4'], ['2026Q4'], ['Q4-2026'], [''], ['2026-Q4 '], ['26-Q4'], ['2026-Q4\n<script>']])('"%s" is not a quarter', (text) => {
  expect(code(() => parseQuarter(text, NOW))).toEqual(['BAD_USER_INPUT', expect.stringMatching(/^quarter must be a year and a quarter such as 2026-Q4/)]);
});

test('a quarter that has not begun is refused, naming the latest one', () => {
  expect(code(() => parseQuarter('2027-Q1', NOW))).toEqual(['BAD_USER_INPUT', 'quarter 2027-Q1 has not begun (it starts 2027-01-01): the graph knows only the past and the present']);
  expect(code(() => parseQuarter('2026-Q4', NOW))).toBeUndefined();
});

test('the heat map counts open risks by likelihood × impact and sets aside those off the scale', () => {
  const map = heatMap([
    { likelihood: 5, impact: 4 },
    { likelihood: 5, impact: 4 },
    { likelihood: 1, impact: 1 },
    { likelihood: null, impact: 3 },
    { likelihood: 6, impact: 2 },
  ]);
  expect(map.cells[4][3]).toBe(2);
  expect(map.cells[0][0]).toBe(1);
  expect(map.cells.flat().reduce((a, b) => a + b, 0)).toBe(3);
  expect(map.unscored).toBe(2);
});

test('evidence counts as expired from its expiry instant on, longest expired first', () => {
  const row = (name: string, expiresAt: string | null) => ({ id: name, name, source: 's', kind: null, expiresAt, supports: [], owners: [] });
  const at = new Date('2026-09-30T23:59:59.999Z');
  const expired = expiredEvidence([row('later', '2026-10-01T00:00:00Z'), row('exact', at.toISOString()), row('old', '2025-01-01T00:00:00Z'), row('never', null)], at);
  expect(expired.map((evidence) => evidence.name)).toEqual(['old', 'exact']);
});

test('open incidents are held to targets by severity (contain, then close); those furthest past one lead', () => {
  const row = (name: string, detectedAt: string | null, severity: 'CRITICAL' | 'LOW' | null = null, containedAt: string | null = null) => ({
    id: name,
    name,
    source: 's',
    category: null,
    severity,
    status: null,
    detectedAt,
    containedAt,
    owners: [],
  });
  const incidents = openIncidents(
    [
      row('new', '2026-11-29T00:00:00Z', 'CRITICAL'),
      row('unknown', null),
      row('old', '2026-10-01T18:00:00Z'),
      row('low', '2026-09-15T00:00:00Z', 'LOW'),
      row('critical', '2026-11-10T00:00:00Z', 'CRITICAL'),
      row('contained', '2026-11-25T00:00:00Z', 'CRITICAL', '2026-11-25T12:00:00Z'),
    ],
    NOW,
  );
  // Unrated counts as MEDIUM: contained within 7 days, closed within 60 ('old' is due closed at 18:00 on 30 November, after NOW).
  expect(incidents.map((incident) => [incident.name, incident.daysOpen, incident.lateOn, incident.daysPastTarget])).toEqual([
    ['low', 76, ['containment'], 62],
    ['old', 59, ['containment'], 52],
    ['critical', 20, ['containment', 'closure'], 19],
    ['new', 1, ['containment'], 0],
    ['contained', 5, [], 0],
    ['unknown', null, [], 0],
  ]);
  expect(incidents.map((incident) => incident.pastTarget)).toEqual([true, true, true, true, false, false]);
  expect(incidents.find((incident) => incident.name === 'old')).toMatchObject({ containBy: '2026-10-08T18:00:00.000Z', closeBy: '2026-11-30T18:00:00.000Z' });
  // Contained after the instant read: not contained then.
  expect(openIncidents([row('later', '2026-11-01T00:00:00Z', 'CRITICAL', '2026-12-01T00:00:00Z')], NOW)[0].lateOn).toEqual(['containment', 'closure']);
});

test('gate findings: one row per model or agent, with every reason and the decisions resting on it', () => {
  const model = (id: string, lifecycleStage: 'DEPLOYED' | null = 'DEPLOYED') => ({ id, name: `Model ${id}`, source: 's', __typename: 'AIModel', lifecycleStage });
  const findings = gateFindings({
    exposure: { ungatedModels: [{ decision: { name: 'Credit limit' }, sources: [model('b')] }, { decision: { name: 'Approval' }, sources: [model('b')] }] },
    gateExceptions: [{ risk: { name: 'Gate exception: Model a past DEPLOYED without approval' }, subjects: [model('a', null)] }],
    gateConditionsOverdue: [{ approval: { name: 'Deploy on conditions' }, subjects: [model('b')], conditions: ['Bias test', 'Runbook'], dueAt: '2026-11-01T00:00:00Z', daysOverdue: 29 }],
  });
  expect(findings.map((found) => [found.subject.id, found.reasons, found.decisions])).toEqual([
    ['a', ['Gate exception: Model a past DEPLOYED without approval'], []],
    ['b', ['no passing approval for its stage (DEPLOYED)', 'conditions of Deploy on conditions 29 days overdue: Bias test; Runbook'], ['Approval', 'Credit limit']],
  ]);
});

/** A report with one of everything, as the builder would make it. */
function sampleReport(): QuarterlyReport {
  const owners = [{ name: 'Risk lead' }];
  const record = (id: string, name: string) => ({ id, name, source: 'grc' });
  const incident = { ...record('i', 'Prompt leak'), category: 'PROMPT_DATA_LEAKAGE' as const, severity: 'HIGH' as const, status: 'OPEN' as const, detectedAt: '2026-10-02T00:00:00Z', containedAt: null, owners };
  return {
    quarter: { label: '2026-Q4', start: '2026-10-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' },
    instant: NOW.toISOString(),
    closed: false,
    generatedAt: NOW.toISOString(),
    modelsByRiskTier: [{ tier: 'HIGH', count: 2 }],
    heatMap: heatMap([{ likelihood: 4, impact: 5 }]),
    openRisks: [{ ...record('r', 'Poisoned labels'), category: 'TRAINING_DATA_POISONING', likelihood: 4, impact: 5, inherentScore: 20, residualScore: null, status: 'TREATING', owners }],
    trend: [
      { quarter: '2026-Q3', at: '2026-09-30T23:59:59.999Z', openRisks: 2, openIncidents: 0 },
      { quarter: '2026-Q4', at: NOW.toISOString(), openRisks: 1, openIncidents: 1 },
    ],
    coverage: [{ framework: { key: 'eu-ai-act', name: 'EU AI Act', version: '2024/1689' }, total: 4, counts: [{ status: 'SATISFIED', count: 1, percent: 25 }, { status: 'GAP', count: 3, percent: 75 }] }],
    vendorTiers: [{ tier: null, vendors: [{ review: { vendor: { ...record('v', 'OCR Co'), owners }, latest: null, tier: null, score: null, failed: false, nextReviewDue: null, overdue: true, daysOverdue: null }, decisionCount: 1, highImpactDecisions: ['Credit limit'] }] }],
    incidentResponse: [{ category: 'PROMPT_DATA_LEAKAGE', quarter: '2026-Q4', incidents: 1, uncontained: 1, open: 1, meanHoursToContain: null, medianHoursToContain: null, maxHoursToContain: null, meanHoursToClose: null, medianHoursToClose: null, maxHoursToClose: null }],
    actions: {
      vendorReviews: [{ vendor: { ...record('v', 'OCR Co'), owners }, latest: null, tier: null, score: null, failed: false, nextReviewDue: null, overdue: true, daysOverdue: null }],
      gates: [{ subject: { ...record('m', 'Scorer'), __typename: 'AIModel', lifecycleStage: 'DEPLOYED' }, reasons: ['no passing approval for its stage (DEPLOYED)'], decisions: ['Credit limit'] }],
      expiredEvidence: [{ ...record('e', 'Label audit'), kind: 'AUDIT_REPORT', expiresAt: '2026-11-01T00:00:00Z', supports: [{ name: 'Label review' }], owners }],
      openIncidents: openIncidents([incident], NOW),
      shadowAI: [{ ...record('s', 'Notes bot'), department: 'Collections', vendorName: 'Parley', userCount: 14, firstSeenAt: '2026-11-01T00:00:00Z', owners, touches: [{ name: 'CRM', classification: 'CONFIDENTIAL', containsPersonalData: true }] }],
      unownedAssets: { total: 3, items: [{ ...record('u', 'Loose model'), __typename: 'AIModel' }] },
    },
  };
}

test('the HTML page is self-contained (no script, link, image or URL to fetch) and has every section; the Markdown has every heading', () => {
  const report = sampleReport();
  const html = reportToHtml(report);
  expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(|@import/i);
  const sections = [...html.matchAll(/data-section="([a-z-]+)"/g)].map((match) => match[1]);
  expect(sections).toEqual(['summary', 'risk-heat-map', 'trend', 'incident-response', 'coverage', 'vendor-tiers', 'actions', 'overdue-vendor-reviews', 'ungated-models', 'expired-evidence', 'incidents-past-target', 'shadow-ai', 'unowned-assets']);
  expect(html.match(/<svg /g)).toHaveLength(4);
  for (const shown of ['Poisoned labels', 'OCR Co', 'Scorer', 'Label audit', 'Prompt leak', 'Notes bot', 'CRM (personal data)', 'Loose model', 'The first 1, by type and name.']) expect(html).toContain(shown);
  const md = reportToMarkdown(report);
  const headings = md.split('\n').filter((line) => line.startsWith('#'));
  expect(headings).toEqual([
    '# AI security posture: 2026-Q4',
    '## At a glance',
    '## Risk register: likelihood × impact',
    '## Trend: open risks and incidents by quarter',
    '## Incident response: incidents detected in 2026-Q4',
    '## Coverage per framework',
    '## Vendors by review tier',
    '## Needs action',
    '### Vendor reviews overdue or failed (1)',
    '### Ungated or exception models (1)',
    '### Expired evidence (1)',
    '### Open incidents past their targets (1)',
    '### Shadow AI (1)',
    '### Assets without an owner (3)',
  ]);
  expect(md).toContain('| 4 | 0 | 0 | 0 | 0 | 1 |');
});
