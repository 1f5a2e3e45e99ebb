import { coerceInputValue, GraphQLError, GraphQLSchema, isInputObjectType } from 'graphql';
import type { Access } from '../auth/access';
import type { Config } from '../config';
import { badUserInput, failOnProblems, InputProblem, invalidInput } from '../errors';
import type { SyncReport } from '../estate/sync';
import type { SyncService } from '../estate/syncService';
import type { SyncInventoryInput } from '../generated/graphql';
import { cycloneDx } from './cyclonedx/importer';
import type { Conversion, DocumentFormat, DocumentProblem, FormatConverter, ImportReport, ImportRequest, StatefulConverter } from './model';
import { openLineage } from './openlineage/format';
import { spdx3 } from './spdx3/converter';

/** Every format the API reads; a new one is an enum value in schema/formats.graphql and its converter here. */
export const CONVERTERS: Readonly<Record<DocumentFormat, FormatConverter | StatefulConverter>> = {
  CYCLONEDX: cycloneDx,
  OPENLINEAGE: openLineage,
  SPDX3: spdx3,
};

/** The format a document says it is in, from each format's own markers. */
export function detectFormat(document: unknown): DocumentFormat {
  const found = (Object.keys(CONVERTERS) as DocumentFormat[]).find((format) => CONVERTERS[format].detect(document));
  if (!found) throw badUserInput(`The document's format is not recognised; give one of ${Object.keys(CONVERTERS).join(', ')}`, [{ path: '', message: 'format not recognised' }]);
  return found;
}

const PAYLOAD_ITEM = /^(assets\.\w+\[\d+\]|relationships\[(\d+)\])(?:\.(\w+))?/;

/**
 * Where in the document a sync payload path came from: the field's own place when the converter
 * recorded one, else its record's or relationship's; a path of no item (the source) stays as is.
 */
export function documentPlace(path: string, conversion: Pick<Conversion, 'recordOrigins' | 'relationshipOrigins'>): string {
  const match = PAYLOAD_ITEM.exec(path);
  if (!match) return path;
  const [, item, relationship, field] = match;
  if (relationship !== undefined) return conversion.relationshipOrigins[Number(relationship)] ?? path;
  const origin = conversion.recordOrigins.get(item);
  if (!origin) return path;
  return (field && origin.fields[field]) || origin.pointer;
}

/** GraphQL's input path (['assets', 'aiModels', 3, 'riskTier']) as a sync path (assets.aiModels[3].riskTier). */
const syncPath = (path: ReadonlyArray<string | number>) => path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');

/**
 * Imports documents in the ecosystem's formats: a converter turns the document into a sync payload,
 * which goes through SyncService as syncInventory's does (access checks, the per-source lock, dry
 * runs, audit), in one transaction whatever its size (up to MAX_IMPORT_ITEMS). Problems are
 * reported at their place in the document.
 */
export class ImportService {
  constructor(
    private readonly sync: SyncService,
    private readonly schema: GraphQLSchema,
    private readonly config: Config,
    private readonly access: Access,
  ) {}

  async importDocument(request: ImportRequest): Promise<ImportReport> {
    // Before the document is read: a caller who may not write here learns nothing about it.
    this.access.requireSourceWrite(request.source.trim());
    const format = request.format ?? detectFormat(request.document);
    const converter = CONVERTERS[format];
    if ('convertStored' in converter) return this.importStored(format, converter, request);
    const conversion = converter.convert(request.document);
    const dryRun = request.dryRun ?? false;
    const { maxImportItems } = this.config.limits;
    const items = Object.values(conversion.assets).reduce((total, batch) => total + (batch?.length ?? 0), 0) + conversion.relationships.length;
    if (items > maxImportItems) {
      throw badUserInput(`The document makes ${items} records and relationships; an import takes at most ${maxImportItems} (MAX_IMPORT_ITEMS). Split the document.`, [{ path: '', message: 'document too large' }]);
    }

    const problems: DocumentProblem[] = [...conversion.problems];
    const input = this.coerce({ source: request.source, mode: request.mode ?? 'UPSERT', dryRun, assets: conversion.assets, relationships: conversion.relationships }, conversion, problems);
    // A document already known to be refused is still checked whole, as a dry run, so that one
    // answer lists every problem.
    const refused = problems.length > 0;
    let report: SyncReport;
    try {
      report = await this.sync.sync(refused ? { ...input, dryRun: true } : input, maxImportItems);
    } catch (error) {
      throw this.placed(error, conversion);
    }
    problems.push(...report.errors.map((problem) => ({ pointer: documentPlace(problem.path, conversion), path: problem.path, message: problem.message })));
    if (refused && !dryRun) failOnProblems(problems.map(asInputProblem), 'document');
    return { format, source: report.source, sync: { ...report, ok: report.ok && problems.length === 0 }, considered: conversion.considered, mapped: conversion.mapped, warnings: conversion.warnings, problems };
  }

  /**
   * A stateful format's document is converted in the sync's transaction. Its documents add to what
   * is stored, so REPLACE has no meaning for them; a refused one fails inside the transaction,
   * which writes nothing.
   */
  private async importStored(format: DocumentFormat, converter: StatefulConverter, request: ImportRequest): Promise<ImportReport> {
    if ((request.mode ?? 'UPSERT') !== 'UPSERT') throw badUserInput(`A ${format} document adds to what its source holds: import it with mode UPSERT`, [{ path: 'mode', message: 'only UPSERT' }]);
    const source = request.source.trim();
    const dryRun = request.dryRun ?? false;
    let attempted: Conversion | undefined;
    const problems: DocumentProblem[] = [];
    let done: { report: SyncReport; prepared: { conversion: Conversion } };
    try {
      done = await this.sync.syncPrepared(source, dryRun, this.config.limits.maxImportItems, async (tx) => {
        const conversion = await converter.convertStored(request.document, tx, source);
        attempted = conversion;
        problems.splice(0, problems.length, ...conversion.problems);
        const input = this.coerce({ source, mode: 'UPSERT', dryRun, assets: conversion.assets, relationships: conversion.relationships }, conversion, problems);
        if (problems.length > 0 && !dryRun) failOnProblems(problems.map(asInputProblem), 'document');
        return { input, reason: conversion.reason, write: conversion.write, conversion };
      });
    } catch (error) {
      throw attempted ? this.placed(error, attempted) : error;
    }
    const { report, prepared: { conversion } } = done;
    problems.push(...report.errors.map((problem) => ({ pointer: documentPlace(problem.path, conversion), path: problem.path, message: problem.message })));
    return { format, source: report.source, sync: { ...report, ok: report.ok && problems.length === 0 }, considered: conversion.considered, mapped: conversion.mapped, warnings: conversion.warnings, problems };
  }

  /**
   * The payload as GraphQL would coerce a syncInventory argument (enums, scalars, unknown fields),
   * since a converted document never passed through GraphQL's own checks.
   */
  private coerce(payload: SyncInventoryInput, conversion: Conversion, problems: DocumentProblem[]): SyncInventoryInput {
    const type = this.schema.getType('SyncInventoryInput');
    if (!isInputObjectType(type)) throw new Error('SyncInventoryInput is missing from the schema');
    return coerceInputValue(payload, type, (path, _value, error) => {
      const at = syncPath(path);
      problems.push({ pointer: documentPlace(at, conversion), path: at, message: error.message });
    }) as SyncInventoryInput;
  }

  /** A sync refusal names payload paths; the caller sent a document, so it is told the document's places. */
  private placed(error: unknown, conversion: Conversion): unknown {
    const problems = error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT' ? (error.extensions.problems as InputProblem[] | undefined) : undefined;
    if (!problems || problems.length === 0) return error;
    return invalidInput(problems.map((problem) => ({ path: documentPlace(problem.path, conversion), message: problem.message })), 'document');
  }
}

const asInputProblem = (problem: DocumentProblem): InputProblem => ({ path: problem.pointer, message: problem.message });
