import fs from 'node:fs';
import path from 'node:path';
import type DataLoader from 'dataloader';
import type { RiskCategory } from '../generated/graphql';
import { readSeedCatalogue, SEED_DIR } from './catalogue';
import { requirementKey, RequirementRow } from './model';

/**
 * The register's nine risk categories read in Google SAIF's terms (seed/risk-categories.json): the
 * project's own reading, not SAIF's, so it lives beside the catalogues rather than among their
 * crosswalks (a crosswalk joins two published catalogues; a category is not a catalogue entry).
 */

export const RISK_CATEGORIES: readonly RiskCategory[] = [
  'SHADOW_AI', 'PROMPT_DATA_LEAKAGE', 'PROMPT_INJECTION', 'ADVERSARIAL_INPUT', 'TRAINING_DATA_POISONING', 'CROSS_MODEL_LEAKAGE', 'HALLUCINATION', 'AGENT_MISFIRE', 'THIRD_PARTY',
];

export interface RiskCategoryMappingRow {
  category: RiskCategory;
  requirementKeys: string[];
  rationale: string;
}

interface RiskCategoryFile {
  framework: string;
  mappings: Array<{ category: string; identifiers: string[]; rationale: string }>;
}

/**
 * Reads and checks the file: every category once, each with at least one identifier and a
 * rationale, every identifier a RISK of the named framework in the seed catalogue. Problems throw:
 * the start runs this, so a broken file stops it.
 */
export function readRiskCategoryMappings(dir: string = SEED_DIR): RiskCategoryMappingRow[] {
  const file = JSON.parse(fs.readFileSync(path.join(dir, 'risk-categories.json'), 'utf8')) as RiskCategoryFile;
  const risks = new Set(readSeedCatalogue(dir).batch.requirements.filter((r) => r.framework === file.framework && r.kind === 'RISK').map((r) => r.key));
  const problems: string[] = [];
  const rows = file.mappings.map((row) => {
    if (!RISK_CATEGORIES.includes(row.category as RiskCategory)) problems.push(`unknown category ${row.category}`);
    if (row.identifiers.length === 0 || !row.rationale.trim()) problems.push(`${row.category}: needs identifiers and a rationale`);
    const requirementKeys = row.identifiers.map((id) => requirementKey(file.framework, id));
    for (const key of requirementKeys) if (!risks.has(key)) problems.push(`${row.category}: ${key} is not a risk in the seed catalogue`);
    return { category: row.category as RiskCategory, requirementKeys, rationale: row.rationale };
  });
  const missing = RISK_CATEGORIES.filter((category) => rows.filter((row) => row.category === category).length !== 1);
  if (missing.length > 0) problems.push(`each category once: ${missing.join(', ')}`);
  if (problems.length > 0) throw new Error(`Invalid seed/risk-categories.json:\n  - ${problems.join('\n  - ')}`);
  return rows;
}

let shipped: RiskCategoryMappingRow[] | undefined;

/**
 * The shipped mappings (read once, on first use), one category or all, with their requirements
 * loaded in one batch. A requirement missing from the catalogue is a broken seed: an error.
 */
export async function riskCategoryMappings(category: RiskCategory | null | undefined, requirements: DataLoader<string, RequirementRow | null>) {
  shipped ??= readRiskCategoryMappings();
  const rows = shipped.filter((row) => !category || row.category === category);
  return Promise.all(
    rows.map(async (row) => ({
      category: row.category,
      rationale: row.rationale,
      requirements: (await requirements.loadMany(row.requirementKeys)).map((found, index) => {
        if (found instanceof Error) throw found;
        if (!found) throw new Error(`risk category ${row.category}: ${row.requirementKeys[index]} is not in the catalogue`);
        return found;
      }),
    })),
  );
}
