import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectPath } from '../paths';
import readline from 'node:readline';
import type { EmbeddedNeo4jConfig } from '../config';
import type { Logger } from '../logger';

export const LAUNCHER_DIR = projectPath('launcher');
const MAIN_CLASS = 'dev.lineagegraph.launcher.Neo4jLauncher';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr, which usually say why it ended. */
  stderrTail: string[];
}

export interface EmbeddedNeo4j {
  uri: string;
  pid: number;
  /** Resolves when the process ends, however it ends. */
  exited: Promise<ProcessExit>;
  stop(): Promise<void>;
  /** Ends the process without a clean shutdown, as a crash would. */
  kill(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the launcher with Maven unless its classes and jars are newer than its sources. */
export function ensureLauncherBuilt(logger: Logger): void {
  const classes = path.join(LAUNCHER_DIR, 'target/classes');
  const lib = path.join(LAUNCHER_DIR, 'target/lib');
  const sourcesChanged = () =>
    Math.max(newestMtime(path.join(LAUNCHER_DIR, 'src')), fs.statSync(path.join(LAUNCHER_DIR, 'pom.xml')).mtimeMs) >
    newestMtime(classes);
  if (fs.existsSync(classes) && fs.existsSync(lib) && !sourcesChanged()) return;
  logger.info('building the embedded Neo4j launcher with Maven (first start only)');
  const result = spawnSync('mvn', ['-q', '-B', '-f', path.join(LAUNCHER_DIR, 'pom.xml'), 'package', '-DskipTests'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`Building the Neo4j launcher failed (mvn exit ${result.status ?? result.signal})`);
}

export function launcherJvmOptions(): string[] {
  return fs
    .readFileSync(path.join(LAUNCHER_DIR, 'jvm-options.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/**
 * Starts Neo4j in a child JVM and resolves once it prints its readiness line. The child watches
 * its stdin, so it also stops when this process dies without a chance to stop it.
 */
export async function startEmbeddedNeo4j(config: EmbeddedNeo4jConfig, logger: Logger): Promise<EmbeddedNeo4j> {
  ensureLauncherBuilt(logger);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const args = [
    `-Xms${config.heap}`,
    `-Xmx${config.heap}`,
    ...launcherJvmOptions(),
    '-cp',
    `${path.join(LAUNCHER_DIR, 'target/classes')}${path.delimiter}${path.join(LAUNCHER_DIR, 'target/lib/*')}`,
    MAIN_CLASS,
    '--data-dir',
    config.dataDir,
    '--port',
    String(config.port),
    '--pagecache',
    config.pageCache,
    '--exit-on-stdin-close',
    ...(config.password === undefined ? [] : ['--password', config.password]),
  ];
  // Its own process group: a Ctrl-C in the terminal reaches only the API, which stops Neo4j after
  // the HTTP server; were Neo4j signalled too, its exit would look like a crash to the supervisor.
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const stderrTail: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    logger.debug('neo4j stderr', { line });
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, stderrTail: stderrTail.slice(-5) }));
  });

  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Embedded Neo4j did not become ready within ${config.startupTimeoutMs} ms`));
    }, config.startupTimeoutMs);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^NEO4J_READY (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      } else {
        logger.debug('neo4j stdout', { line });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Embedded Neo4j exited before it was ready (${code ?? signal}): ${stderrTail.join(' | ')}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not run java for the embedded Neo4j: ${error.message}`));
    });
  });
  logger.info('embedded neo4j ready', { uri, dataDir: config.dataDir, pid: child.pid });

  return {
    uri,
    pid: child.pid!,
    exited,
    stop: () => terminate(child, 'SIGTERM', 60_000),
    kill: () => terminate(child, 'SIGKILL', 10_000),
  };
}

function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

/** A port nothing listens on right now, for a Neo4j of a test run or a benchmark. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
