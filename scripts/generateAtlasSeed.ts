/**
 * Writes the shipped MITRE ATLAS catalogue (seed/frameworks/mitre-atlas.json and its mitigation
 * links, seed/crosswalks/mitre-atlas--mitigations.json) from an official ATLAS.yaml:
 *
 *   npm run seed:atlas -- [path/to/ATLAS.yaml]     (default: ../shared/fixtures/atlas/ATLAS.yaml)
 *
 * Needs no database. A test regenerates both files from the shared fixture and compares them with
 * the shipped ones, so a hand edit or a stale generation fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ATLAS_SEED_FILES, generateAtlasSeed } from '../src/compliance/atlasSeed';
import { SEED_DIR } from '../src/compliance/catalogue';
import { PROJECT_ROOT } from '../src/paths';

const file = process.argv[2] ?? path.resolve(PROJECT_ROOT, '../shared/fixtures/atlas/ATLAS.yaml');
if (!fs.existsSync(file)) {
  process.stderr.write(`usage: npm run seed:atlas -- path/to/ATLAS.yaml (${file} not found)\n`);
  process.exit(1);
}
const { framework, links } = generateAtlasSeed(fs.readFileSync(file, 'utf8'), path.basename(file));
fs.writeFileSync(path.join(SEED_DIR, ATLAS_SEED_FILES.framework), `${JSON.stringify(framework, null, 2)}\n`);
fs.writeFileSync(path.join(SEED_DIR, ATLAS_SEED_FILES.links), `${JSON.stringify(links, null, 2)}\n`);
const kinds = framework.requirements.reduce<Record<string, number>>((n, r) => ({ ...n, [r.kind]: (n[r.kind] ?? 0) + 1 }), {});
process.stdout.write(`${JSON.stringify({ version: framework.framework.version, ...kinds, links: links.mappings.length })}\n`);
