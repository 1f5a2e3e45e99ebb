import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../paths';

export const CYPHER_DIR = projectPath('cypher');

/**
 * Every query the API runs, read once from `cypher/**.cypher` and addressed by its path without
 * the extension (`lineage/findImpact`). Services ask for their queries when they are built, so a
 * missing file fails at start rather than on the first request that needs it.
 */
export class CypherCatalog {
  private constructor(private readonly queries: ReadonlyMap<string, string>) {}

  static load(dir: string = CYPHER_DIR): CypherCatalog {
    const queries = new Map<string, string>();
    const walk = (current: string) => {
      for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.cypher')) {
          const name = path.relative(dir, full).replace(/\\/g, '/').replace(/\.cypher$/, '');
          queries.set(name, fs.readFileSync(full, 'utf8').trim());
        }
      }
    };
    walk(dir);
    return new CypherCatalog(queries);
  }

  get(name: string): string {
    const text = this.queries.get(name);
    if (text === undefined) throw new Error(`No Cypher file cypher/${name}.cypher`);
    return text;
  }

  /** Names under a folder, sorted, for statement lists such as migrations. */
  namesUnder(folder: string): string[] {
    return [...this.queries.keys()].filter((name) => name.startsWith(folder + '/')).sort();
  }
}

/** A file may hold several statements (migrations do); they are separated by `;` at a line end. */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*(?:\r?\n|$)/)
    .map((statement) => statement.replace(/^\s*\/\/.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}
