import type { Tx } from '../../db/gateway';
import type { RunState } from './runs';

/**
 * Runs are kept per source: the same OpenLineage run reported by two tools is two runs, each adding
 * to its own source's records. The stored key is the JSON of [source, run key], which no choice of
 * source, job or runId can make ambiguous.
 */
const storedKey = (source: string, key: string) => JSON.stringify([source, key]);

/** OpenLineage run state, read and written in the caller's (the sync's) transaction. */
export const runRepository = {
  async find(tx: Tx, source: string, keys: string[]): Promise<Map<string, RunState>> {
    if (keys.length === 0) return new Map();
    const rows = await tx.run<{ run: RunState }>('formats/findOpenLineageRuns', { keys: keys.map((key) => storedKey(source, key)) });
    return new Map(
      rows.map(({ run }) => {
        const [, key] = JSON.parse(run.key) as [string, string];
        return [key, { ...run, key }];
      }),
    );
  },
  async upsert(tx: Tx, source: string, runs: RunState[], now: string): Promise<void> {
    if (runs.length === 0) return;
    const rows = runs.map(({ key, ...properties }) => ({ key: storedKey(source, key), properties }));
    await tx.run('formats/upsertOpenLineageRuns', { rows, source, now: new Date(now) });
  },
};
