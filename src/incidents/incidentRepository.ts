import type { RequestGateway, Tx } from '../db/gateway';
import type { EntityRow } from '../estate/model';
import type { RiskCategory } from '../generated/graphql';
import type { IncidentTimesRow } from './metrics';

/** The incident queries (cypher/incidents/*). */
export const incidentRepository = {
  /** The playbook an incident follows now (see findFollowedPlaybook.cypher), or undefined. */
  async followedPlaybook(tx: Tx, incidentId: string): Promise<EntityRow | undefined> {
    const [row] = await tx.run<{ playbook: EntityRow }>('incidents/findFollowedPlaybook', { incidentId });
    return row?.playbook;
  },
  /** The playbook an incident opened for `scenario` follows: `preferred`'s before any other source's. */
  async playbookFor(tx: Tx, scenario: RiskCategory, preferred: string): Promise<EntityRow | undefined> {
    const [row] = await tx.run<{ playbook: EntityRow }>('incidents/findPlaybookForScenario', { scenario, preferred });
    return row?.playbook;
  },
  times(db: RequestGateway, asOf: Date | null): Promise<IncidentTimesRow[]> {
    return asOf ? db.read<IncidentTimesRow>('incidents/findIncidentTimesAsOf', { asOf }) : db.read<IncidentTimesRow>('incidents/findIncidentTimes', {});
  },
};
