/**
 * Writes the estate in one of the ecosystem's formats to stdout; logs go to stderr. `npm run -s`
 * keeps npm's own banner out of stdout, so that a redirected file holds the document alone.
 *
 *   npm run -s export -- aibom > estate.cdx.json                 the estate as a CycloneDX 1.6 ML-BOM
 *   npm run -s export -- aibom --root <id> > model.cdx.json      one record and what it rests on
 *   npm run -s export -- aibom --source hf-hub                   one source's records
 *   npm run -s export -- oscal --framework eu-ai-act > ar.json   a framework's coverage as OSCAL 1.1 assessment results
 *   npm run -s export -- oscal --framework eu-ai-act --riskTier HIGH    scoped as the coverage query is (or --assetId <id>)
 *   npm run -s export -- oscal --framework eu-ai-act --asOf 2026-08-02  the coverage as it stood then
 *
 * Connects to NEO4J_URI when set; otherwise starts the embedded Neo4j on the app's data folder.
 */
import type { GraphQLContext } from '../src/context';
import { coverageQuery } from '../src/compliance/httpExport';
import { parseCommandLine, runScript } from './runScript';

type Options = Record<string, string | true>;
const text = (value: string | true | undefined) => (typeof value === 'string' ? value : undefined);

/** Each export by the name given as the first argument. */
const EXPORTS: Record<string, { usage: string; run: (context: GraphQLContext, options: Options) => Promise<string> }> = {
  aibom: {
    usage: 'aibom [--root ID] [--source NAME]',
    run: async (context, options) => `${JSON.stringify(await context.services.exports.aiBom({ root: text(options.root), source: text(options.source) }), null, 2)}\n`,
  },
  oscal: {
    usage: 'oscal --framework KEY [--riskTier PROHIBITED|HIGH|LIMITED|MINIMAL] [--assetId ID] [--asOf DATE-TIME]',
    run: async (context, options) => {
      const { framework, scope, asOf, problems } = coverageQuery(options);
      if (problems.length > 0) throw new Error(`${problems.join('; ')}\nusage: npm run export -- ${EXPORTS.oscal.usage}`);
      return `${JSON.stringify(await context.services.exports.oscal(framework, scope, asOf), null, 2)}\n`;
    },
  },
};

const USAGE = `usage: npm run export -- ${Object.values(EXPORTS).map((entry) => entry.usage).join(' | ')}`;

void runScript('ExportScript', async (app) => {
  const { options, positional } = parseCommandLine(process.argv.slice(2), USAGE);
  const chosen = positional.length === 1 && Object.hasOwn(EXPORTS, positional[0]) ? EXPORTS[positional[0]] : undefined;
  if (!chosen) throw new Error(USAGE);
  return chosen.run(app.server.createContext('ExportScript', 'export'), options);
});
