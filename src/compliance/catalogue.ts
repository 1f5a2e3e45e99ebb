import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { projectPath } from '../paths';
import { AI_ACT_CATEGORIES, AI_ACT_ROLES, AiActCategory, AiActRole, FrameworkRow, MAPPING_TYPES, MappingRow, MappingType, REQUIREMENT_KINDS, RequirementKind, requirementKey, RequirementRow } from './model';

/** What one catalogue load writes: frameworks, their requirements, and crosswalk mappings. */
export interface CatalogueBatch {
  frameworks: FrameworkRow[];
  requirements: RequirementWriteRow[];
  mappings: MappingWriteRow[];
  /** Every mapping source the batch states in full: its edges not in the batch are removed. */
  mappingSources: string[];
}

/** A catalogue entry as it is written: the same shape as it is read back. */
export type RequirementWriteRow = RequirementRow;

/** A crosswalk mapping as it is written: the same shape as it is read back. */
export type MappingWriteRow = MappingRow;

export const SEED_DIR = projectPath('seed');
export const ATLAS_SEED_FRAMEWORK = 'mitre-atlas';
/** Bump when the loader writes something new from unchanged files (2: the AI Act obligation fields). */
const SEED_FORMAT = 'seed-format-2';

/** What an AI Act entry adds: whom and what an obligation binds, from when; whether an article binds any operator. */
interface ObligationFields {
  roles?: string[];
  categories?: string[];
  appliesFrom?: string;
  bindsOperator?: boolean;
  condition?: string;
}

interface FrameworkFile {
  framework: Record<string, string | undefined> & { key: string; name: string; version: string };
  requirements?: Array<{ identifier: string; kind: string; title: string; summary?: string; officialText?: string; parent: string | null; parents?: string[] } & ObligationFields>;
}

/** An entry's parents: `parents` when it has several (ATLAS techniques under several tactics), else `parent`. */
const parentsOf = (entry: { parent: string | null; parents?: string[] }) => entry.parents ?? (entry.parent ? [entry.parent] : []);

interface CrosswalkFile {
  source: string;
  sourceUrl?: string;
  mappings: Array<{ from: { framework: string; identifier: string }; to: { framework: string; identifier: string }; type: string; rationale?: string }>;
}

const isCalendarDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/**
 * Checks an entry's obligation fields and returns them as written. An OBLIGATION must say whom and
 * what it binds and from when (and binds an operator by definition); other kinds may only say
 * whether they bind an operator.
 */
export function obligationFields(entry: { identifier: string; kind: string } & ObligationFields, problems: string[]): Pick<RequirementRow, 'roles' | 'categories' | 'appliesFrom' | 'bindsOperator' | 'condition'> {
  const { identifier, kind } = entry;
  const roles = entry.roles ?? [];
  const categories = entry.categories ?? [];
  for (const role of roles) if (!AI_ACT_ROLES.includes(role as AiActRole)) problems.push(`${identifier}: unknown role ${role}`);
  for (const category of categories) if (!AI_ACT_CATEGORIES.includes(category as AiActCategory)) problems.push(`${identifier}: unknown category ${category}`);
  if (entry.appliesFrom !== undefined && !isCalendarDate(entry.appliesFrom)) problems.push(`${identifier}: appliesFrom ${entry.appliesFrom} is not a YYYY-MM-DD date`);
  if (kind === 'OBLIGATION') {
    if (roles.length === 0 || categories.length === 0 || !entry.appliesFrom) problems.push(`${identifier}: an obligation needs roles, categories and appliesFrom`);
    if (entry.bindsOperator === false) problems.push(`${identifier}: an obligation binds an operator`);
  } else if (roles.length > 0 || categories.length > 0 || entry.appliesFrom || entry.condition) {
    problems.push(`${identifier}: only obligations carry roles, categories, appliesFrom and condition`);
  }
  return {
    // Null rather than empty lists: the other frameworks' thousands of entries carry nothing.
    roles: roles.length > 0 ? (roles as AiActRole[]) : null,
    categories: categories.length > 0 ? (categories as AiActCategory[]) : null,
    appliesFrom: entry.appliesFrom ?? null,
    bindsOperator: kind === 'OBLIGATION' ? true : (entry.bindsOperator ?? null),
    condition: entry.condition ?? null,
  };
}

const frameworkRow = (raw: FrameworkFile['framework']): FrameworkRow => ({
  key: raw.key,
  name: raw.name,
  version: raw.version,
  publisher: raw.publisher ?? null,
  url: raw.url ?? null,
  description: raw.description ?? null,
  attribution: raw.attribution ?? null,
  licence: raw.licence ?? null,
});

/**
 * Reads every seed catalogue (`seed/frameworks/*.json`) and crosswalk (`seed/crosswalks/*.json`),
 * checks that every parent and every mapped identifier exists, and returns what to write with a
 * fingerprint of the files, so a start with unchanged files can skip the load. Problems throw: a
 * broken seed file must stop the start rather than load half a catalogue.
 */
export function readSeedCatalogue(dir: string = SEED_DIR): { batch: CatalogueBatch; fingerprint: string } {
  // The format joins the files in the fingerprint: a loader that writes new fields reloads a
  // database seeded by an older one even where the files are unchanged.
  const hash = crypto.createHash('sha256').update(SEED_FORMAT);
  const read = <T>(file: string): T => {
    const text = fs.readFileSync(file, 'utf8');
    hash.update(path.basename(file)).update(text);
    return JSON.parse(text) as T;
  };
  const list = (folder: string) =>
    fs
      .readdirSync(path.join(dir, folder))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => path.join(dir, folder, name));

  const batch: CatalogueBatch = { frameworks: [], requirements: [], mappings: [], mappingSources: [] };
  const problems: string[] = [];
  for (const file of list('frameworks')) {
    const content = read<FrameworkFile>(file);
    const framework = frameworkRow(content.framework);
    batch.frameworks.push(framework);
    (content.requirements ?? []).forEach((entry, order) => {
      if (!REQUIREMENT_KINDS.includes(entry.kind as RequirementKind)) problems.push(`${path.basename(file)}: ${entry.identifier} has unknown kind ${entry.kind}`);
      batch.requirements.push({
        key: requirementKey(framework.key, entry.identifier),
        framework: framework.key,
        identifier: entry.identifier,
        kind: entry.kind as RequirementKind,
        title: entry.title,
        summary: entry.summary ?? null,
        officialText: entry.officialText ?? null,
        order,
        parentKeys: parentsOf(entry).map((parent) => requirementKey(framework.key, parent)),
        ...obligationFields(entry, problems),
      });
    });
  }
  const known = new Set(batch.requirements.map((row) => row.key));
  for (const row of batch.requirements) {
    for (const parent of row.parentKeys) if (!known.has(parent)) problems.push(`${row.key}: parent ${parent} is not in the catalogue`);
  }
  for (const file of list('crosswalks')) {
    const content = read<CrosswalkFile>(file);
    const source = `seed/crosswalks/${path.basename(file)}`;
    batch.mappingSources.push(source);
    content.mappings.forEach((mapping, index) => {
      const fromKey = requirementKey(mapping.from.framework, mapping.from.identifier);
      const toKey = requirementKey(mapping.to.framework, mapping.to.identifier);
      for (const key of [fromKey, toKey]) if (!known.has(key)) problems.push(`${source} mappings[${index}]: ${key} is not in the catalogue`);
      if (!MAPPING_TYPES.includes(mapping.type as MappingType)) problems.push(`${source} mappings[${index}]: unknown type ${mapping.type}`);
      batch.mappings.push({ fromKey, toKey, type: mapping.type as MappingType, source, sourceTitle: content.source, sourceUrl: content.sourceUrl ?? null, rationale: mapping.rationale ?? null });
    });
  }
  if (problems.length > 0) throw new Error(`Invalid seed catalogue:\n  - ${problems.join('\n  - ')}`);
  return { batch, fingerprint: hash.digest('hex') };
}

interface AtlasYaml {
  id?: string;
  name?: string;
  version?: string | number;
  matrices?: Array<{
    tactics?: Array<{ id: string; name: string; description?: string }>;
    techniques?: Array<{ id: string; name: string; description?: string; tactics?: string[]; 'subtechnique-of'?: string }>;
    mitigations?: Array<{ id: string; name: string; description?: string; techniques?: Array<{ id: string; use?: string } | string> }>;
  }>;
}

export interface AtlasCounts {
  tactics: number;
  techniques: number;
  subtechniques: number;
  mitigations: number;
  mitigationLinks: number;
}

/**
 * Turns the official ATLAS distribution format (`ATLAS.yaml`: matrices with tactics, techniques and
 * mitigations) into a catalogue batch. Techniques sit under their tactics (several, when listed),
 * sub-techniques under their technique; each mitigation maps to the techniques it lists (MAPS_TO,
 * INTERSECTS: ATLAS says a mitigation addresses a technique, not that they are equivalent), with
 * ATLAS's "use" text as the rationale. `frameworkKey` lets tests import into a framework of their own.
 */
export function parseAtlas(text: string, frameworkKey: string = ATLAS_SEED_FRAMEWORK, sourceName = 'ATLAS.yaml'): { batch: CatalogueBatch; counts: AtlasCounts } {
  const doc = yaml.load(text) as AtlasYaml | undefined;
  if (!doc || !Array.isArray(doc.matrices) || doc.matrices.length === 0) throw new Error('Not an ATLAS distribution file: no matrices');
  const version = String(doc.version ?? 'unknown');
  const framework: FrameworkRow = {
    key: frameworkKey,
    name: 'MITRE ATLAS',
    version,
    publisher: 'MITRE',
    url: 'https://atlas.mitre.org',
    description: doc.name ?? 'Adversarial Threat Landscape for AI Systems',
    attribution: `MITRE ATLAS ${version}, © The MITRE Corporation, licensed under the Apache License, Version 2.0. Names and descriptions as published in ATLAS.yaml.`,
    licence: 'Apache-2.0',
    importedFrom: sourceName,
  };
  const key = (identifier: string) => requirementKey(frameworkKey, identifier);
  const source = `${frameworkKey}:${sourceName}`;
  const requirements: RequirementWriteRow[] = [];
  const mappings: MappingWriteRow[] = [];
  const counts: AtlasCounts = { tactics: 0, techniques: 0, subtechniques: 0, mitigations: 0, mitigationLinks: 0 };
  const row = (identifier: string, kind: RequirementKind, title: string, description: string | undefined, parentKeys: string[]) =>
    requirements.push({ key: key(identifier), framework: frameworkKey, identifier, kind, title, summary: null, officialText: description?.trim() || null, order: requirements.length, parentKeys });

  const tacticIds = new Set(doc.matrices.flatMap((matrix) => (matrix.tactics ?? []).map((tactic) => tactic.id)));
  const techniqueIds = new Set(doc.matrices.flatMap((matrix) => (matrix.techniques ?? []).map((technique) => technique.id)));
  const problems: string[] = [];
  for (const matrix of doc.matrices) {
    for (const tactic of matrix.tactics ?? []) {
      row(tactic.id, 'TACTIC', tactic.name, tactic.description, []);
      counts.tactics += 1;
    }
    for (const technique of matrix.techniques ?? []) {
      const parent = technique['subtechnique-of'];
      if (parent && !techniqueIds.has(parent)) problems.push(`${technique.id}: subtechnique-of ${parent} is not a technique`);
      const parentKeys = parent ? [key(parent)] : (technique.tactics ?? []).filter((id) => tacticIds.has(id)).map(key);
      row(technique.id, 'TECHNIQUE', technique.name, technique.description, parentKeys);
      counts[parent ? 'subtechniques' : 'techniques'] += 1;
    }
    for (const mitigation of matrix.mitigations ?? []) {
      row(mitigation.id, 'MITIGATION', mitigation.name, mitigation.description, []);
      counts.mitigations += 1;
      for (const link of mitigation.techniques ?? []) {
        const id = typeof link === 'string' ? link : link.id;
        if (!techniqueIds.has(id)) {
          problems.push(`${mitigation.id}: technique ${id} is not in the file`);
          continue;
        }
        mappings.push({ fromKey: key(mitigation.id), toKey: key(id), type: 'INTERSECTS', source, sourceTitle: `MITRE ATLAS ${version}`, sourceUrl: 'https://atlas.mitre.org', rationale: typeof link === 'string' ? null : (link.use?.trim() ?? null) });
        counts.mitigationLinks += 1;
      }
    }
  }
  if (problems.length > 0) throw new Error(`Invalid ATLAS file:\n  - ${problems.join('\n  - ')}`);
  return { batch: { frameworks: [framework], requirements, mappings, mappingSources: [source] }, counts };
}
