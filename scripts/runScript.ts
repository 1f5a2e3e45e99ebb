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
  const { options, positional } = parseCommandLine(argv, usage);
  if (positional.length > 0) throw new Error(`unexpected argument "${positional[0]}"\n${usage}`);
  return options;
}

/**
 * Options and the plain arguments among them (files, a subcommand). `flags` take no value, so that
 * `--dry-run model.json` reads the file as an argument.
 */
export function parseCommandLine(argv: string[], usage: string, flags: readonly string[] = []): { options: Record<string, string | true>; positional: string[] } {
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const next = argv[i + 1];
    if (flags.includes(name) || next === undefined || next.startsWith('--')) options[name] = true;
    else {
      options[name] = next;
      i += 1;
    }
  }
  if (Object.keys(options).some((name) => name.length === 0)) throw new Error(usage);
  return { options, positional };
}
