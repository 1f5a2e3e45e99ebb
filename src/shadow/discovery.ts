import type { Tx } from '../db/gateway';
import { badUserInput } from '../errors';
import { estateRepository as repo } from '../estate/estateRepository';
import { entityKey } from '../estate/model';
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
