import { startApp, RunningApp } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';

/**
 * Runs a one-shot command against the same database the app uses, through the app's own startup
 * (config, embedded Neo4j when NEO4J_URI is unset, migrations, catalogues), on a free port so a
 * running app's port is not needed. The result goes to stdout; logs and errors to stderr.
 */
export async function runScript(name: string, work: (app: RunningApp) => Promise<string>): Promise<void> {
  let app: RunningApp | undefined;
  try {
    const config = loadConfig({ ...process.env, PORT: '0' });
    app = await startApp(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel));
    process.stdout.write(await work(app));
  } catch (error) {
    process.stderr.write(`${name} failed: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await app?.stop();
  }
}

/** `--name value` pairs and bare `--flag`s; anything else is a usage error. */
export function parseArgs(argv: string[], usage: string): Record<string, string | true> {
  const args: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    if (!name.startsWith('--')) throw new Error(`unexpected argument "${name}"\n${usage}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[name.slice(2)] = true;
    else {
      args[name.slice(2)] = next;
      i += 1;
    }
  }
  return args;
}
