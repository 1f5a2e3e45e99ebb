/**
 * Imports MITRE ATLAS from its distribution file (idempotent):
 *
 *   npm run import:atlas -- path/to/ATLAS.yaml
 *
 * Prints the counts it loaded as JSON on stdout. Connects like `npm run coverage` does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runScript } from './runScript';

void runScript('ImportAtlasScript', async (app) => {
  const file = process.argv[2];
  if (!file || !fs.existsSync(file)) throw new Error('usage: npm run import:atlas -- path/to/ATLAS.yaml');
  const context = app.server.createContext('ImportAtlasScript', 'script');
  const counts = await context.services.catalogue.importAtlas(fs.readFileSync(file, 'utf8'), undefined, path.basename(file));
  return JSON.stringify(counts, null, 2) + '\n';
});
