import type { Tx } from '../db/gateway';
import { recordAt } from '../history/historyRepository';
import type { SoaContextRow } from './soa';

export interface SoaDecisionWrite {
  id: string;
  requirementKey: string;
  included: boolean;
  justification: string | null;
  actor: string;
  /** A past instant for a dated load (the demo's); null for the instant of the write. */
  at: string | null;
}

/** The Statement of Applicability's named queries; the coverage rows come from complianceRepository. */
export const soaRepository = {
  async context(tx: Tx, keys: string[], controlIds: string[], asOf: Date | null): Promise<SoaContextRow> {
    if (!asOf) {
      const [row] = await tx.run<SoaContextRow>('compliance/findSoaContext', { keys, controlIds });
      return row;
    }
    const [row] = await tx.run<SoaContextRow>('compliance/findSoaContextAsOf', { keys, controlIds, asOf });
    // States as stored become records of that instant, as the as-of coverage rows do.
    return { ...row, risks: row.risks.map(({ controlId, risks }) => ({ controlId, risks: risks.map((risk) => recordAt(risk, asOf)) })) };
  },
  /** Records a decision, ending the one in force; false when the requirement is gone. */
  async decide(tx: Tx, write: SoaDecisionWrite): Promise<boolean> {
    const rows = await tx.run<{ id: string }>('compliance/decideSoaApplicability', {
      id: write.id,
      requirementKey: write.requirementKey,
      included: write.included,
      justification: write.justification,
      actor: write.actor,
      at: write.at === null ? null : new Date(write.at),
    });
    return rows.length > 0;
  },
};
