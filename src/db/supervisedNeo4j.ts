import type { EmbeddedNeo4jConfig } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedNeo4j, EmbeddedNeo4j } from './embeddedNeo4j';

const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** Restarts in a row that failed before the API calls itself unhealthy: it cannot heal itself and wants replacing. */
const UNHEALTHY_AFTER_FAILED_RESTARTS = 3;

export type Neo4jProcessState = 'running' | 'restarting' | 'stopped';

export interface Neo4jProcessHealth {
  healthy: boolean;
  state: Neo4jProcessState;
  /** Times Neo4j came back after dying, since the API started. */
  restarts: number;
  /** Restart attempts in a row that did not bring it back. */
  failedRestarts: number;
}

/** The wait before the next restart attempt: a second, doubling with each failed attempt, at most half a minute. */
function restartDelayMs(failedRestarts: number): number {
  return Math.min(FIRST_RESTART_DELAY_MS * 2 ** failedRestarts, MAX_RESTART_DELAY_MS);
}

/**
 * The embedded Neo4j, restarted with backoff whenever it dies unasked. It comes back on the same
 * port and data folder, so the driver reconnects by itself and Neo4j recovers its store from the
 * transaction log; only stop() ends it for good.
 */
export class SupervisedNeo4j {
  private state: Neo4jProcessState = 'running';
  private restarts = 0;
  private failedRestarts = 0;
  private timer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;

  private constructor(
    private readonly config: EmbeddedNeo4jConfig,
    private readonly logger: Logger,
    private current: EmbeddedNeo4j,
  ) {
    this.watch(current);
  }

  static async start(config: EmbeddedNeo4jConfig, logger: Logger): Promise<SupervisedNeo4j> {
    return new SupervisedNeo4j(config, logger, await startEmbeddedNeo4j(config, logger));
  }

  get uri(): string {
    return this.current.uri;
  }

  /** The process running now (a restart gives a new one). */
  get pid(): number {
    return this.current.pid;
  }

  health(): Neo4jProcessHealth {
    const { state, restarts, failedRestarts } = this;
    return { healthy: failedRestarts < UNHEALTHY_AFTER_FAILED_RESTARTS, state, restarts, failedRestarts };
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.restarting;
    await this.current.stop();
  }

  private watch(neo4j: EmbeddedNeo4j): void {
    void neo4j.exited.then((exit) => {
      if (this.state === 'stopped') return;
      this.logger.error('embedded neo4j exited', { pid: neo4j.pid, code: exit.code, signal: exit.signal, stderr: exit.stderrTail });
      this.state = 'restarting';
      this.scheduleRestart(Date.now());
    });
  }

  private scheduleRestart(downSince: number): void {
    const delayMs = restartDelayMs(this.failedRestarts);
    this.timer = setTimeout(() => {
      this.restarting = this.restart(downSince, delayMs);
    }, delayMs);
  }

  private async restart(downSince: number, delayMs: number): Promise<void> {
    const attempt = this.failedRestarts + 1;
    this.logger.warn('restarting embedded neo4j', { attempt, afterMs: delayMs });
    let next: EmbeddedNeo4j;
    try {
      next = await startEmbeddedNeo4j(this.config, this.logger);
    } catch (error) {
      if (this.state === 'stopped') return;
      this.failedRestarts += 1;
      this.logger.error('embedded neo4j restart failed', { attempt, error: error instanceof Error ? error.message : String(error) });
      this.scheduleRestart(downSince);
      return;
    }
    // stop() came while this one was starting, and waits for it to end here.
    if (this.state === 'stopped') {
      await next.stop();
      return;
    }
    this.current = next;
    this.state = 'running';
    this.restarts += 1;
    this.failedRestarts = 0;
    this.logger.info('embedded neo4j recovered', { pid: next.pid, attempt, downMs: Date.now() - downSince });
    this.watch(next);
  }
}
