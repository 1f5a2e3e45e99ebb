import fs from 'node:fs';
import { entityKey } from '../estate/model';
import type { AiSystemClassificationInput } from '../generated/graphql';
import { projectPath } from '../paths';
import type { ApiServer } from '../server';
import { Classification, classificationOf } from '../systems/classification';

/** The demo organisation's classification of its AI systems, recorded once its estate is loaded. */
export const DEMO_SYSTEMS_FILE = projectPath('seed/demo-systems.json');

export interface DemoSystemsFile {
  /** Who records them: the audit's actor and every classification's classifiedBy. */
  classifiedBy: string;
  classifications: Array<AiSystemClassificationInput & { system: string }>;
}

/** Whether a stored classification already says what the file does (then nothing is recorded again). */
export function sameClassification(stored: Classification | null, wanted: AiSystemClassificationInput): boolean {
  if (!stored) return false;
  const sorted = (values: readonly string[]) => [...values].sort().join(',');
  return (
    stored.category === wanted.category &&
    stored.article50 === (wanted.article50 ?? false) &&
    sorted(stored.roles) === sorted(wanted.roles) &&
    stored.annexIIIPoint === (wanted.annexIIIPoint ?? null) &&
    stored.annexILegislation === (wanted.annexILegislation ?? null) &&
    stored.exception === (wanted.exception ?? null) &&
    stored.exceptionReasoning === (wanted.exceptionReasoning ?? null) &&
    stored.profiling === (wanted.profiling ?? false) &&
    stored.rationale === wanted.rationale
  );
}

/**
 * Classifies the demo's systems of `source` as the file says, through the service that a compliance
 * officer's call uses (checked, versioned, audited under the file's name). A system classified so
 * already is left alone; one another start classified meanwhile (CONFLICT on its version) too.
 * Returns how many were recorded.
 */
export async function classifyDemoSystems(server: ApiServer, source: string): Promise<number> {
  const file = JSON.parse(fs.readFileSync(DEMO_SYSTEMS_FILE, 'utf8')) as DemoSystemsFile;
  let recorded = 0;
  for (const { system: externalId, ...input } of file.classifications) {
    const context = server.createContext('SeedDemoSystems', file.classifiedBy);
    const [row] = await context.services.estate.byKeys([entityKey('AISystem', source, externalId)]);
    if (!row) throw new Error(`demo systems: no AI system ${externalId} in source ${source}`);
    if (sameClassification(classificationOf(row), input)) continue;
    try {
      await context.services.systems.classify(row.id, input, row.version);
      recorded += 1;
    } catch (error) {
      if ((error as { extensions?: { code?: string } }).extensions?.code !== 'CONFLICT') throw error;
    }
  }
  return recorded;
}
