import type { Tx } from '../db/gateway';
import { badUserInput } from '../errors';
import { estateRepository as repo } from '../estate/estateRepository';
import { ASSET_TYPES, entityKey } from '../estate/model';
import type { SyncPayload } from '../estate/sync';
import type { RelationshipInput } from '../generated/graphql';
import { PROGRAMME_SOURCE } from '../incidents/programme';

/** The declaration that makes `source` a discovery source: a DiscoverySource of the programme named after it. */
export const discoveryDeclarationKey = (source: string) => entityKey('DiscoverySource', PROGRAMME_SOURCE, source);

/**
 * Only a declared discovery source reports discovered assets: checked in the sync's transaction,
 * so that a declaration withdrawn meanwhile is seen.
 */
export async function requireDiscoverySource(tx: Tx, source: string): Promise<void> {
  const [declaration] = await repo.findByKeys(tx, [discoveryDeclarationKey(source)]);
  if (declaration) return;
  throw badUserInput(`Source "${source}" is not a declared discovery source: only those report discoveredAssets (declareDiscoverySource)`, [
    { path: 'assets.discoveredAssets', message: `"${source}" is not a discovery source` },
  ]);
}

/** What a discovery may turn out to be: a registered asset or tool. */
const REGISTERED_TYPES = [...ASSET_TYPES, 'Tool'];

/**
 * The REGISTERED_AS links a discovery source's payload gets for what it reports that matches a
 * registered record by name (exactly), unless the payload links that discovery itself: a match is
 * not shadow AI. Pure; `matches` maps a name to the ids of the records that bear it.
 */
export function registrationsFor(payload: Pick<SyncPayload, 'records' | 'relationships'>, matches: Map<string, string[]>): RelationshipInput[] {
  const linked = new Set(payload.relationships.filter((rel) => rel.type === 'REGISTERED_AS' && rel.from.type === 'DiscoveredAsset' && !rel.from.source).map((rel) => rel.from.externalId));
  return payload.records
    .filter((record) => record.type === 'DiscoveredAsset' && !linked.has(record.externalId))
    .flatMap((record) =>
      (matches.get(String(record.desired.name)) ?? []).map((id) => ({ type: 'REGISTERED_AS' as const, from: { type: 'DiscoveredAsset' as const, externalId: record.externalId }, to: { id } })),
    );
}

/** Links each reported discovery to the registered records of its name (see registrationsFor), read in the sync's transaction. */
export async function matchDiscoveries(tx: Tx, payload: SyncPayload): Promise<RelationshipInput[]> {
  const names = [...new Set(payload.records.filter((record) => record.type === 'DiscoveredAsset').map((record) => String(record.desired.name)))];
  if (names.length === 0) return [];
  const rows = await tx.run<{ name: string; id: string }>('shadow/findRegisteredByName', { types: REGISTERED_TYPES, names });
  const matches = new Map<string, string[]>();
  for (const row of rows) matches.set(row.name, [...(matches.get(row.name) ?? []), row.id]);
  return registrationsFor(payload, matches);
}
