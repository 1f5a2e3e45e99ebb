import type { CatalogueBatch } from '../../src/compliance/catalogue';
import { complianceRepository } from '../../src/compliance/complianceRepository';
import { requirementKey } from '../../src/compliance/model';
import type { TestApi } from '../support/api';
import { unique } from '../support/api';

export interface TestRequirement {
  identifier: string;
  kind: 'CHAPTER' | 'ARTICLE' | 'SUBCATEGORY' | 'CONTROL' | 'RISK';
  title?: string;
  parent?: string;
}

/**
 * A framework only the calling test uses, written straight through the repository (there is no
 * public API for new catalogues: they ship as seed files). Its key is unique, so statuses and
 * counts on it depend on nothing another test does.
 */
export async function createTestFramework(api: TestApi, requirements: TestRequirement[], prefix = 'fw'): Promise<string> {
  const key = unique(prefix);
  const batch: CatalogueBatch = {
    frameworks: [{ key, name: `Test framework ${key}`, version: '1', publisher: 'tests', url: null, description: null, attribution: 'Test data.', licence: null }],
    requirements: requirements.map((r, order) => ({
      key: requirementKey(key, r.identifier),
      framework: key,
      identifier: r.identifier,
      kind: r.kind,
      title: r.title ?? `Title of ${r.identifier}`,
      summary: null,
      officialText: null,
      order,
      parentKeys: r.parent ? [requirementKey(key, r.parent)] : [],
    })),
    mappings: [],
    mappingSources: [],
  };
  await api.app.gateway.writeTx((tx) => complianceRepository.writeCatalogue(tx, batch));
  return key;
}

export const SATISFY = `mutation($controlId: ID!, $r: RequirementRefInput!, $coverage: SatisfactionCoverage!, $why: String!) {
  satisfy(controlId: $controlId, requirement: $r, coverage: $coverage, rationale: $why) { coverage requirement { key } control { id } }
}`;

export const ID_OF = `query($type: EntityType!, $source: String!, $externalId: String!) { entityByKey(type: $type, source: $source, externalId: $externalId) { id } }`;

export async function idOf(api: TestApi, source: string, type: string, externalId: string): Promise<string> {
  const { entityByKey } = await api.data<{ entityByKey: { id: string } }>(ID_OF, { type, source, externalId });
  return entityByKey.id;
}

/** RFC 4180 parsing, enough to prove the CSV round-trips: quoted fields, doubled quotes, CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  return rows;
}
