import crypto from 'node:crypto';
import yaml from 'js-yaml';
import { ATLAS_SEED_FRAMEWORK, CatalogueBatch, parseAtlas } from './catalogue';

/**
 * The shipped MITRE ATLAS catalogue, derived from the official distribution file (ATLAS.yaml) by
 * `npm run seed:atlas`: every tactic, technique, sub-technique and mitigation with its identifier,
 * name and place in the matrix, and each mitigation's links to the techniques it lists. Those are
 * facts; ATLAS's descriptions are not copied. Each summary is built by a fixed rule from the facts
 * alone (what the entry belongs to, how ATLAS rates it, how many links it has), so that a new
 * release gives new summaries without anyone rewriting two hundred of them by hand.
 */

/** Where the generated files go, under seed/. */
export const ATLAS_SEED_FILES = { framework: 'frameworks/mitre-atlas.json', links: 'crosswalks/mitre-atlas--mitigations.json' } as const;

export interface AtlasSeedEntry {
  identifier: string;
  kind: 'TACTIC' | 'TECHNIQUE' | 'MITIGATION';
  title: string;
  summary: string;
  parent: string | null;
  /** Only when ATLAS files a technique under several tactics. */
  parents?: string[];
}

export interface AtlasSeedFramework {
  framework: { key: string; name: string; version: string; publisher: string; url: string; description: string; attribution: string; licence: string };
  generatedFrom: { file: string; version: string; sha256: string; generator: string };
  requirements: AtlasSeedEntry[];
}

export interface AtlasSeedLinks {
  source: string;
  sourceUrl: string;
  generatedFrom: AtlasSeedFramework['generatedFrom'];
  mappings: Array<{ from: { framework: string; identifier: string }; to: { framework: string; identifier: string }; type: 'INTERSECTS' }>;
}

interface AtlasFacts {
  matrices: Array<{
    tactics?: Array<{ id: string; 'ATT&CK-reference'?: { id?: string } }>;
    techniques?: Array<{ id: string; maturity?: string }>;
    mitigations?: Array<{ id: string; category?: unknown; 'ml-lifecycle'?: unknown }>;
  }>;
}

const MATURITY: Record<string, string> = {
  realized: 'ATLAS records it as used in real attacks',
  demonstrated: 'ATLAS records it as shown in research or exercises',
  feasible: 'ATLAS records it as feasible but not yet shown',
};

const MITIGATION_CATEGORY: Record<string, string> = {
  'Technical - ML': 'technical measure on the machine-learning side',
  'Technical - Cyber': 'technical measure on the cyber-security side',
  Policy: 'policy or process measure',
};

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
// ATLAS 5.6.0 has a technique link misplaced among AML.M0034's lifecycle stages: only strings are stages.
const asList = (value: unknown[] | unknown) => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

/** The two seed files for one ATLAS distribution file: the catalogue and the mitigation links. */
export function generateAtlasSeed(text: string, fileName = 'ATLAS.yaml'): { framework: AtlasSeedFramework; links: AtlasSeedLinks } {
  const { batch } = parseAtlas(text, ATLAS_SEED_FRAMEWORK, fileName);
  const facts = yaml.load(text) as AtlasFacts;
  const version = batch.frameworks[0].version;
  const generatedFrom = { file: fileName, version, sha256: crypto.createHash('sha256').update(text).digest('hex'), generator: 'scripts/generateAtlasSeed.ts' };

  const attack = new Map(facts.matrices.flatMap((m) => (m.tactics ?? []).map((t) => [t.id, t['ATT&CK-reference']?.id] as const)));
  const maturity = new Map(facts.matrices.flatMap((m) => (m.techniques ?? []).map((t) => [t.id, t.maturity] as const)));
  const mitigationFacts = new Map(facts.matrices.flatMap((m) => (m.mitigations ?? []).map((x) => [x.id, x] as const)));
  const byKey = new Map(batch.requirements.map((row) => [row.key, row]));
  const idOf = (key: string) => byKey.get(key)?.identifier ?? key;
  const nameOf = (key: string) => byKey.get(key)?.title ?? key;

  // One link per mitigation and technique: ATLAS lists a pair twice when it gives two uses for it.
  const pairs = [...new Map(batch.mappings.map((m) => [`${m.fromKey}>${m.toKey}`, m] as const)).values()];
  const mitigationsOf = (key: string) => pairs.filter((m) => m.toKey === key).length;
  const childrenOf = (key: string) => batch.requirements.filter((row) => row.parentKeys.includes(key));

  const requirements = batch.requirements.map((row): AtlasSeedEntry => {
    const parents = row.parentKeys.map(idOf);
    const placed = parents.length > 1 ? { parent: null, parents } : { parent: parents[0] ?? null };
    const entry = { identifier: row.identifier, kind: row.kind as AtlasSeedEntry['kind'], title: row.title };
    if (row.kind === 'TACTIC') {
      const ref = attack.get(row.identifier);
      const origin = ref ? `a goal ATLAS shares with ATT&CK tactic ${ref}` : 'a goal ATLAS adds for AI systems, with no ATT&CK counterpart';
      return { ...entry, summary: `Adversary tactic, ${origin}; ${count(childrenOf(row.key).length, 'ATLAS technique')} serve it.`, ...placed };
    }
    if (row.kind === 'TECHNIQUE') {
      const rated = MATURITY[maturity.get(row.identifier) ?? ''];
      const mitigations = mitigationsOf(row.key);
      const listed = mitigations === 0 ? 'no ATLAS mitigation is listed for it' : `${count(mitigations, 'ATLAS mitigation')} ${mitigations === 1 ? 'is' : 'are'} listed for it`;
      const subs = childrenOf(row.key).length;
      const head = byKey.get(row.parentKeys[0])?.kind === 'TECHNIQUE'
        ? `Variant of ${parents[0]} (${nameOf(row.parentKeys[0])})`
        : `Adversary technique under ${list(row.parentKeys.map(nameOf))}${subs > 0 ? `, refined by ${count(subs, 'sub-technique')}` : ''}`;
      return { ...entry, summary: `${head}. ${rated ? `${rated}; ${listed}` : listed[0].toUpperCase() + listed.slice(1)}.`, ...placed };
    }
    const found = mitigationFacts.get(row.identifier);
    const kinds = asList(found?.category).map((c) => MITIGATION_CATEGORY[c] ?? c.toLowerCase());
    const stages = asList(found?.['ml-lifecycle']);
    const addressed = pairs.filter((m) => m.fromKey === row.key).length;
    const what = kinds.length > 0 ? `A ${list(kinds)}` : 'A countermeasure';
    const when = stages.length > 0 ? `, for the ${list(stages)} ${stages.length === 1 ? 'stage' : 'stages'} of the AI lifecycle` : '';
    return { ...entry, summary: `${what}${when}; ATLAS lists it against ${count(addressed, 'technique')}.`, ...placed };
  });

  const framework: AtlasSeedFramework = {
    framework: {
      key: ATLAS_SEED_FRAMEWORK,
      name: 'MITRE ATLAS',
      version,
      publisher: 'MITRE',
      url: 'https://atlas.mitre.org',
      description: 'Knowledge base of how adversaries attack AI-enabled systems: their tactics, the techniques that serve them, and the mitigations that counter those techniques.',
      attribution: `MITRE ATLAS™ ${version}, © The MITRE Corporation, licensed under the Apache License, Version 2.0. Identifiers, names and mitigation links from ATLAS.yaml; summaries are this project's own, generated from those facts.`,
      licence: 'Apache-2.0',
    },
    generatedFrom,
    requirements,
  };
  const links: AtlasSeedLinks = {
    source: `MITRE ATLAS ${version}: the techniques each mitigation lists in ATLAS.yaml`,
    sourceUrl: 'https://atlas.mitre.org/mitigations',
    generatedFrom,
    mappings: pairs.map((m) => ({
      from: { framework: ATLAS_SEED_FRAMEWORK, identifier: idOf(m.fromKey) },
      to: { framework: ATLAS_SEED_FRAMEWORK, identifier: idOf(m.toKey) },
      type: 'INTERSECTS' as const,
    })),
  };
  return { framework, links };
}

/** The seed's mitigation links are recorded under this source: an import of ATLAS.yaml supersedes them. */
export const ATLAS_SEED_LINK_SOURCE = `seed/${ATLAS_SEED_FILES.links}`;

/**
 * What the seed load writes once ATLAS has been imported from a distribution file: everything but
 * the shipped ATLAS catalogue, which would otherwise flatten the import's descriptions and bring
 * back links a newer release dropped. The shipped links' source stays listed, with no mappings, so
 * that any of them still in the graph are withdrawn.
 */
export function withoutShippedAtlas(batch: CatalogueBatch): CatalogueBatch {
  return {
    frameworks: batch.frameworks.filter((row) => row.key !== ATLAS_SEED_FRAMEWORK),
    requirements: batch.requirements.filter((row) => row.framework !== ATLAS_SEED_FRAMEWORK),
    mappings: batch.mappings.filter((row) => row.source !== ATLAS_SEED_LINK_SOURCE),
    mappingSources: batch.mappingSources,
  };
}
