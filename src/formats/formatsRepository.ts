import type { Tx } from '../db/gateway';
import type { EntityRow, EntityType, RelationshipType } from '../estate/model';
import type { ExportRelationship } from './cyclonedx/exporter';

/** What exports read, in the caller's transaction. */
export const formatsRepository = {
  async records(tx: Tx, types: readonly EntityType[], source: string | null): Promise<EntityRow[]> {
    const rows = await tx.run<{ entity: EntityRow }>('formats/findExportRecords', { types, source });
    return rows.map((row) => row.entity);
  },
  /** The root first (distance 0), then what it rests on; at most `limit` + 1 records. */
  async closure(tx: Tx, id: string, flowTypes: readonly RelationshipType[], maxDepth: number, limit: number): Promise<EntityRow[]> {
    const rows = await tx.run<{ entity: EntityRow }>('formats/findDependencyClosure', { id, flowTypes, maxDepth, limit });
    return rows.map((row) => row.entity);
  },
  outgoing(tx: Tx, ids: string[], types: readonly RelationshipType[]): Promise<ExportRelationship[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return tx.run<ExportRelationship>('formats/findOutgoingRelationships', { ids, types });
  },
};
