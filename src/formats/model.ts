import type { AssetBatchInput, DocumentFormat, RelationshipInput, SyncMode } from '../generated/graphql';
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
