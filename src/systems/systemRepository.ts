import type { Tx } from '../db/gateway';
import type { EntityRow } from '../estate/model';
import { recordAt } from '../history/historyRepository';
import type { SystemGraphRow } from './proposal';

/** The AI system queries (cypher/systems/*), now or as of an instant; callers choose the transaction. */
export const systemRepository = {
  /** The system with its parts and decisions, for a proposal (now only: a proposal is for today's decision). */
  async graph(tx: Tx, systemId: string): Promise<SystemGraphRow | null> {
    const [row] = await tx.run<SystemGraphRow>('systems/findSystemGraph', { systemId });
    return row ?? null;
  },
  /** Every classified system, as it stood at `asOf` when given. */
  async classified(tx: Tx, asOf: Date | null): Promise<EntityRow[]> {
    const rows = asOf ? await tx.run<{ system: EntityRow }>('systems/findClassifiedSystemsAsOf', { at: asOf }) : await tx.run<{ system: EntityRow }>('systems/findClassifiedSystems', {});
    return rows.map((row) => (asOf ? recordAt(row.system, asOf) : row.system));
  },
  /** Of `controlIds`, the ones that count for the system's map (then, with `asOf`). */
  async countingControls(tx: Tx, systemId: string, controlIds: string[], asOf: Date | null): Promise<Set<string>> {
    const [row] = asOf
      ? await tx.run<{ counting: string[] }>('systems/findCountingControlsAsOf', { systemId, controlIds, at: asOf })
      : await tx.run<{ counting: string[] }>('systems/findCountingControls', { systemId, controlIds });
    return new Set(row?.counting ?? []);
  },
};
