import type { AssetBatchInput, DocumentFormat, RelationshipInput, SyncMode } from '../generated/graphql';
import type { Tx } from '../db/gateway';
import type { SyncReport } from '../estate/sync';

export type { DocumentFormat };

/** A part of a document the graph does not hold: a whole element (`skipped`) or a part of a mapped one. */
export interface ImportWarning {
  pointer: string;
  message: string;
  skipped: boolean;
}

/** A problem that stops an import, at its place in the document; `path` when the sync found it. */
export interface DocumentProblem {
  pointer: string;
  path?: string;
  message: string;
}

/** Where a payload record came from: the element, and the fields whose place differs from it. */
export interface RecordOrigin {
  pointer: string;
  fields: Record<string, string>;
}

/** What a converter makes of a document: a sync payload and where each of its items came from. */
export interface Conversion {
  assets: AssetBatchInput;
  relationships: RelationshipInput[];
  /** By payload path of each record, `assets.aiModels[3]`. */
  recordOrigins: Map<string, RecordOrigin>;
  /** By index into `relationships`. */
  relationshipOrigins: string[];
  warnings: ImportWarning[];
  problems: DocumentProblem[];
  considered: number;
  mapped: number;
}

/** One format: how to recognise its documents and turn one into a sync payload. */
export interface FormatConverter {
  /** Whether a parsed document is of this format, from its own markers (CycloneDX's bomFormat). */
  detect(document: unknown): boolean;
  /** Throws BAD_USER_INPUT (pointer paths) when the document cannot be read at all. */
  convert(document: unknown): Conversion;
}

/** What a stateful converter makes of a document: the payload, and its own state to write with it. */
export interface StoredConversion extends Conversion {
  /** Why, as the audit records it. */
  reason?: string;
  write(tx: Tx, now: string): Promise<void>;
}

/**
 * A format whose documents add to what earlier ones left (OpenLineage: the events of one run arrive
 * in separate requests). It converts inside the sync's transaction, after the source's lock, from
 * the state it keeps there, so that two imports on one source never add to the same stale state.
 */
export interface StatefulConverter {
  detect(document: unknown): boolean;
  convertStored(document: unknown, tx: Tx, source: string): Promise<StoredConversion>;
}

export interface ImportRequest {
  /** Detected from the document when absent. */
  format?: DocumentFormat | null;
  source: string;
  document: unknown;
  mode?: SyncMode | null;
  dryRun?: boolean | null;
}

export interface ImportReport {
  format: DocumentFormat;
  source: string;
  sync: SyncReport;
  considered: number;
  mapped: number;
  warnings: ImportWarning[];
  problems: DocumentProblem[];
}
