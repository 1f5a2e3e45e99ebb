import fs from 'node:fs';
import path from 'node:path';
import type { CoverageItem, CoverageMap } from '../../src/compliance/model';
import type { EntityRow } from '../../src/estate/model';
import { buildAssessmentResults } from '../../src/formats/oscal/assessmentResults';
import { controlTokens, nameUuid } from '../../src/formats/oscal/identifiers';
import { oscalValidator } from '../formats/support';
import { SHARED_FIXTURES, testWithSharedFile } from '../support/sharedFixtures';

/** Coverage maps as OSCAL assessment results, without a database. */
const SCHEMA = path.join(SHARED_FIXTURES, 'oscal/schema/oscal_assessment-results_schema.json');
const EXAMPLES = path.join(SHARED_FIXTURES, 'oscal/examples');

const row = (type: string, id: string, fields: Record<string, unknown> = {}): EntityRow => ({ id, key: `${type}|s|${id}`, type: type as EntityRow['type'], source: 's', externalId: id, name: `${type} ${id}`, version: 1, createdAt: '', updatedAt: '', ...fields });
const item = (identifier: string, status: CoverageItem['status'], extra: Partial<CoverageItem> = {}): CoverageItem => ({
  requirement: { key: `fw|${identifier}`, framework: 'fw', identifier, kind: 'ARTICLE', title: `Title of ${identifier}`, summary: null, officialText: null, order: 0, parentKeys: [] },
  status,
  group: 'Chapter I',
  notApplicable: null,
  controls: [],
  ...extra,
});
const logging = row('Control', 'ctl-logging', { implementationStatus: 'IMPLEMENTED' });
const coverageMap = (generatedAt = '2026-11-30T10:00:00.000Z', scope: Pick<CoverageMap, 'riskTier' | 'assetId'> = { riskTier: 'HIGH', assetId: null }): CoverageMap => ({
  framework: { key: 'fw', name: 'Test framework', version: '2024', publisher: 'Tests', url: 'https://example.org/framework text', description: null, attribution: 'Test data, CC0.', licence: null },
  ...scope,
  generatedAt,
  asOf: null,
  total: 4,
  counts: [],
  groups: [],
  items: [
    item('Article 10', 'SATISFIED', {
      controls: [
        {
          control: logging,
          coverage: 'FULL',
          rationale: 'Central logging of every inference.',
          evidence: [{ ...row('Evidence', 'ev-1', { uri: 'https://evidence.example/log export.pdf', kind: 'DOCUMENT', expiresAt: '2999-01-01T00:00:00Z' }), expired: false }],
          owners: [row('Owner', 'team-platform')],
        },
      ],
    }),
    item('LLM01:2025', 'PARTIAL', { controls: [{ control: row('Control', 'ctl-filter'), coverage: 'PARTIAL', rationale: null, evidence: [{ ...row('Evidence', 'ev-2', { uri: 'not a url' }), expired: true }], owners: [] }] }),
    item('Artículo 5', 'GAP'),
    item('Art. 4', 'NOT_APPLICABLE', { notApplicable: { id: 'na', requirementKey: 'fw|Art. 4', rationale: 'We place nothing on the market.', declaredBy: 'dana', declaredAt: '2026-11-01T00:00:00Z', withdrawnAt: null, withdrawnBy: null } }),
  ],
});
const results = (document: Record<string, any>) => document['assessment-results'];
const uuids = (document: Record<string, any>) => JSON.stringify(document).match(/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g);

testWithSharedFile(SCHEMA, "a coverage map is valid OSCAL assessment results by NIST's schema, and the validator refuses what the schema refuses", () => {
  const validate = oscalValidator(SCHEMA);
  // The validator reads NIST's own 1.1.2 examples as NIST says they are: valid.
  for (const example of fs.readdirSync(EXAMPLES).filter((name) => name.startsWith('ifa_assessment-results'))) {
    expect(validate(JSON.parse(fs.readFileSync(path.join(EXAMPLES, example), 'utf8')))).toBe(true);
  }
  const document = buildAssessmentResults(coverageMap()) as Record<string, any>;
  if (!validate(document)) throw new Error(`Not valid OSCAL assessment results:\n${JSON.stringify(validate.errors, null, 2)}`);
  const broken = JSON.parse(JSON.stringify(document));
  results(broken).results[0].findings[0].target.status.state = 'partly-satisfied';
  results(broken).results[0]['reviewed-controls']['control-selections'][0]['include-controls'][0]['control-id'] = 'Article 10';
  expect(validate(broken)).toBe(false);
  expect(validate.errors!.map((error) => error.instancePath)).toEqual(
    expect.arrayContaining(['/assessment-results/results/0/findings/0/target/status/state', '/assessment-results/results/0/reviewed-controls/control-selections/0/include-controls/0/control-id']),
  );
});

test('a finding per requirement with its status, and an observation per claiming control with its evidence', () => {
  const [result] = results(buildAssessmentResults(coverageMap())).results;
  expect(result.findings.map((finding: any) => [finding.target['target-id'], finding.target.status, finding.target['implementation-status']?.state])).toEqual([
    ['article-10_obj', { state: 'satisfied', reason: 'pass' }, 'implemented'],
    ['llm01-2025_obj', { state: 'not-satisfied', reason: 'fail' }, 'partial'],
    ['artículo-5_obj', { state: 'not-satisfied', reason: 'fail' }, undefined],
    ['art.-4_obj', { state: 'satisfied', reason: 'other', remarks: expect.stringMatching(/^Declared not applicable by dana .*We place nothing on the market\.$/) }, 'not-applicable'],
  ]);
  expect(result.findings[0].props).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'coverage-status', value: 'SATISFIED' }), expect.objectContaining({ name: 'requirement', value: 'Article 10' })]));
  expect(result.observations).toHaveLength(2);
  expect(result.findings[0]['related-observations']).toEqual([{ 'observation-uuid': result.observations[0].uuid }]);
  expect(result.findings[2]['related-observations']).toBeUndefined();
  const [logged, filtered] = result.observations;
  expect(logged).toMatchObject({ title: 'Control ctl-logging', methods: ['EXAMINE'], description: expect.stringContaining('claims FULL coverage of Article 10 (implementation: IMPLEMENTED): Central logging') });
  expect(logged.props).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'control-owner', value: 'Owner team-platform' })]));
  expect(logged['relevant-evidence']).toEqual([expect.objectContaining({ href: 'https://evidence.example/log%20export.pdf', description: 'Evidence ev-1 (DOCUMENT), expires 2999-01-01T00:00:00Z' })]);
  // Evidence whose uri is no URL keeps its description, without an href OSCAL would refuse.
  expect(filtered['relevant-evidence'][0].href).toBeUndefined();
});

test('UUIDs derive from the framework, the scope and what they identify: the same map later has the same ones, another scope others', () => {
  const first = buildAssessmentResults(coverageMap('2026-11-30T10:00:00.000Z'));
  const later = buildAssessmentResults(coverageMap('2026-12-01T08:00:00.000Z'));
  expect(uuids(later)).toEqual(uuids(first));
  // Each thing the document declares has its own.
  const declared = JSON.stringify(first).match(/"uuid":"[^"]+"/g)!;
  expect(new Set(declared).size).toBe(declared.length);
  const asset = buildAssessmentResults(coverageMap(undefined, { riskTier: null, assetId: 'model-1' }));
  expect(results(asset).uuid).not.toBe(results(first).uuid);
  expect(nameUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(nameUuid('a', 'b')).not.toBe(nameUuid('a|b'));
});

test('requirement identifiers become distinct OSCAL tokens', () => {
  const tokens = controlTokens(['Article 10', 'article-10', 'GV.OC-01', 'AML.T0051', '1.2', ' ', 'A.7.5']);
  expect([...tokens.values()]).toEqual(['article-10', 'article-10-2', 'gv.oc-01', 'aml.t0051', '_1.2', '_', 'a.7.5']);
  for (const token of tokens.values()) expect(token).toMatch(/^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u);
});

testWithSharedFile(SCHEMA, 'an empty scope is still a valid selection: no requirement, said so', () => {
  const document = buildAssessmentResults({ ...coverageMap(), total: 0, items: [] });
  expect(oscalValidator(SCHEMA)(document)).toBe(true);
  const [result] = results(document).results;
  expect(result['reviewed-controls']['control-selections']).toEqual([{ remarks: 'No requirement of the framework is in this scope.' }]);
  expect(result.findings).toBeUndefined();
});
