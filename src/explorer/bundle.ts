import { build } from 'esbuild';
import { projectPath } from '../paths';

export type ScriptName = 'explore.js' | 'coverage.js';

const ENTRY_POINTS: Record<ScriptName, string> = {
  'explore.js': projectPath('web/explore.ts'),
  'coverage.js': projectPath('web/coverage.ts'),
};

let bundles: Promise<Map<ScriptName, string>> | undefined;

/**
 * The pages' scripts, bundled by esbuild in memory the first time one is asked for, then kept.
 * Not at install: `npm ci --ignore-scripts`, and npm 11 without an allowScripts entry, skip
 * postinstall steps, and built files on disk can go stale against web/; bundling the pages with
 * Cytoscape and the ELK client takes under a second, from node_modules only (works offline).
 */
export function explorerScripts(): Promise<Map<ScriptName, string>> {
  bundles ??= build({
    entryPoints: Object.entries(ENTRY_POINTS).map(([out, entry]) => ({ in: entry, out: out.replace(/\.js$/, '') })),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    outdir: 'out',
    write: false,
    legalComments: 'eof',
    logLevel: 'silent',
  }).then(
    (result) => new Map(result.outputFiles.filter((file) => file.path.endsWith('.js')).map((file) => [file.path.split('/').pop() as ScriptName, file.text])),
    (error: unknown) => {
      // A failed build is retried on the next request rather than kept.
      bundles = undefined;
      throw error;
    },
  );
  return bundles;
}
