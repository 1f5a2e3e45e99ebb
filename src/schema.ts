import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from './paths';

export const SCHEMA_DIR = projectPath('schema');

/** The SDL, one file per domain, in a stable order. */
export function loadTypeDefs(dir: string = SCHEMA_DIR): string {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
    .join('\n');
}
