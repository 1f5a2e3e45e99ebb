import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { QUERY_NAMES, QueryName } from '../generated/queries';
import { projectPath } from '../paths';

export const CYPHER_DIR = projectPath('cypher');

const DEPTH_QUANTIFIER = '{0,$maxDepth}';
/**
 * Where a query names its relationship types from a parameter: a walk's `[flow:$flowTypes]` (or
 * `[flow:$flowTypes|WAS]`), a look-up's `[r:$relationshipTypes]`.
 */
const TYPE_PARAMETERS = /:\$(flowTypes|relationshipTypes)\b/g;
const RELATIONSHIP_TYPE_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Far above any configured traversal ceiling; a guard against a caller passing a row count. */
export const MAX_QUANTIFIED_DEPTH = 50;

/** Every `.cypher` file under a folder, by its path without the extension (`lineage/findReachable`). */
export function readQueryFiles(dir: string = CYPHER_DIR): Map<string, string> {
  const queries = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.cypher')) {
        const name = path.relative(dir, full).replace(/\\/g, '/').replace(/\.cypher$/, '');
        queries.set(name, withoutCommentLines(fs.readFileSync(full, 'utf8')));
      }
    }
  };
  walk(dir);
  return new Map([...queries].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The files explain themselves in comment lines, a third to a half of a traversal's text. Neo4j
 * does not need them, and every statement's text is packed, sent and hashed for the query cache per
 * request. A comment after code on the same line stays, so that a `//` in a string is never cut
 * (no statement breaks a string across lines).
 */
function withoutCommentLines(text: string): string {
  return text.replace(/^[ \t]*\/\/.*$/gm, '').replace(/\n(?:[ \t]*\r?\n)+/g, '\n').trim();
}

/**
 * Every query the API runs, read once from `cypher/**.cypher` and addressed by its path without
 * the extension (`lineage/findReachable`). Code names queries by `QueryName`, generated from the
 * files (`npm run codegen`), so a misspelt name fails the type check; and loading checks that every
 * generated name still has its file, so a missing file fails at start rather than on the first
 * request that needs it.
 */
export class CypherCatalog<Name extends string = QueryName> {
  private readonly writtenTexts = new Map<string, string>();
  private readonly depthBounded: ReadonlySet<string>;
  /** The type parameters each file names in its patterns, found once when the files load. */
  private readonly typeParameters: ReadonlyMap<string, readonly string[]>;

  private constructor(private readonly queries: ReadonlyMap<string, string>) {
    this.depthBounded = new Set([...queries].filter(([, text]) => text.includes(DEPTH_QUANTIFIER)).map(([name]) => name));
    this.typeParameters = new Map(
      [...queries].map(([name, text]) => [name, [...new Set([...text.matchAll(TYPE_PARAMETERS)].map(([, parameter]) => parameter))]] as const).filter(([, parameters]) => parameters.length > 0),
    );
  }

  /** `required`: the names the code may ask for; tests load their own folder with their own names. */
  static load<Name extends string = QueryName>(dir: string = CYPHER_DIR, required: readonly Name[] = QUERY_NAMES as readonly string[] as readonly Name[]): CypherCatalog<Name> {
    const queries = readQueryFiles(dir);
    const missing = required.filter((name) => !queries.has(name));
    if (missing.length > 0) throw new Error(`Cypher files missing from ${dir}: ${missing.map((name) => `${name}.cypher`).join(', ')}`);
    return new CypherCatalog<Name>(queries);
  }

  /**
   * The text to send. Cypher takes no parameter in a path quantifier, yet a walk bounded only by a
   * constant explores far more than the caller's depth (a bound of 50 cost the hot impact 3× its
   * traversal time over 6). So a file may write `{0,$maxDepth}`: the catalog puts the validated
   * integer parameter there. Nor does Cypher take a parameter for relationship types, yet only
   * types named in the pattern let Neo4j read a node's relationships of those types alone (its
   * relationships are grouped by type, see the launcher), and so skip the ended `WAS` copies beside
   * them: a file may write `[flow:$flowTypes]` or `[r:$relationshipTypes]`, and the catalog names
   * that parameter's types there (`!%`, no type, for none). One text is kept per depth and types,
   * so the planner's cache sees a handful.
   */
  get(name: Name, params: Record<string, unknown> = {}): string {
    const text = this.queries.get(name);
    if (text === undefined) throw new Error(`No Cypher file cypher/${name}.cypher`);
    const bounded = this.depthBounded.has(name);
    const named = this.typeParameters.get(name);
    if (!bounded && !named) return text;
    const depth = bounded ? quantifiedDepth(name, params.maxDepth) : null;
    const types = (named ?? []).map((parameter) => [parameter, relationshipTypeNames(name, parameter, params[parameter])] as const);
    const key = `${name}@${depth ?? ''}@${types.map(([parameter, names]) => `${parameter}:${names}`).join('@')}`;
    let written = this.writtenTexts.get(key);
    if (written === undefined) {
      written = text;
      if (depth !== null) written = written.replaceAll(DEPTH_QUANTIFIER, `{0,${depth}}`);
      if (types.length > 0) written = written.replace(TYPE_PARAMETERS, (_, parameter: string) => `:${types.find(([given]) => given === parameter)![1]}`);
      this.writtenTexts.set(key, written);
    }
    return written;
  }

  /** Names under a folder, sorted, for statement lists such as migrations. */
  namesUnder(folder: string): Name[] {
    return ([...this.queries.keys()] as Name[]).filter((name) => name.startsWith(folder + '/')).sort();
  }
}

function quantifiedDepth(name: string, given: unknown): number {
  const depth = neo4j.isInt(given) ? given.toNumber() : typeof given === 'number' ? given : Number.NaN;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_QUANTIFIED_DEPTH) {
    throw new Error(`cypher/${name}.cypher needs an integer maxDepth from 1 to ${MAX_QUANTIFIED_DEPTH}, got ${String(given)}`);
  }
  return depth;
}

/** The label expression for a types parameter; only relationship type names get into the text. */
function relationshipTypeNames(name: string, parameter: string, given: unknown): string {
  if (!Array.isArray(given) || !given.every((type) => typeof type === 'string' && RELATIONSHIP_TYPE_NAME.test(type))) {
    throw new Error(`cypher/${name}.cypher needs ${parameter} as a list of relationship type names, got ${JSON.stringify(given)}`);
  }
  return given.length === 0 ? '!%' : [...new Set(given as string[])].sort().join('|');
}

/** A file may hold several statements (migrations do); they are separated by `;` at a line end. */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*(?:\r?\n|$)/)
    .map((statement) => statement.replace(/^\s*\/\/.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}
