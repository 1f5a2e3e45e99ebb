import type { Principal } from '../../src/auth/access';

/** The callers the API tests act as, one per role: API keys, as the server would authenticate them. */
export const viewer: Principal = { name: 'viewer-key', kind: 'apiKey', role: 'VIEWER' };
export const compliance: Principal = { name: 'grc-key', kind: 'apiKey', role: 'COMPLIANCE' };
export const admin: Principal = { name: 'admin-key', kind: 'apiKey', role: 'ADMIN' };
/** A SYNC key, which writes its own source only. */
export const syncFor = (source: string): Principal => ({ name: `sync-${source}`, kind: 'apiKey', role: 'SYNC', source });
