import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from '../config';
import type { Neo4jGateway, RequestGateway } from '../db/gateway';
import { badUserInput, codedError, failOnProblems, InputProblem, notFound } from '../errors';
import { checkSource } from '../estate/validation';
import { LruCache } from '../lruCache';
import { Access, Principal, Role, ROLES } from './access';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  source: string | null;
  hash?: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

const KEY_PATTERN = /^lgk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The secret has 256 random bits, so one SHA-256 is enough to keep stored hashes useless to a
 * thief; a slow password hash would only slow down every request.
 */
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('lgk_');
}

/** Creating, listing and revoking keys; the secret exists only in the value returned at creation. */
export class ApiKeyService {
  constructor(
    private readonly db: RequestGateway,
    private readonly access: Access,
  ) {}

  async create(name: string, role: Role, source: string | null | undefined): Promise<{ key: string; apiKey: ApiKeyRow }> {
    this.access.requireKeyAdmin();
    if (!NAME_PATTERN.test(name)) throw badUserInput('A key name is 1 to 64 letters, digits, dots, dashes or underscores', [{ path: 'name', message: name }]);
    if (!ROLES.includes(role)) throw badUserInput(`role must be one of ${ROLES.join(', ')}`, [{ path: 'role', message: role }]);
    // The same rule as a sync's source, trimmed as a sync trims it: otherwise the key could never match one.
    const problems: InputProblem[] = [];
    const keySource = source === null || source === undefined ? null : checkSource(source, 'source', problems);
    failOnProblems(problems, 'source');
    if ((role === 'SYNC') !== (keySource !== null)) {
      throw badUserInput('A SYNC key needs the source it may write, and only a SYNC key takes one', [{ path: 'source', message: String(source) }]);
    }
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const [row] = await this.db.write<{ key: ApiKeyRow }>('auth/createApiKey', {
      id,
      name,
      role,
      source: keySource,
      hash: hashSecret(secret),
      createdBy: this.access.actor,
    });
    return { key: `lgk_${id}_${secret}`, apiKey: row.key };
  }

  async revoke(name: string): Promise<ApiKeyRow> {
    this.access.requireKeyAdmin();
    const [row] = await this.db.write<{ key: ApiKeyRow }>('auth/revokeApiKey', { name, revokedBy: this.access.actor });
    if (!row) throw notFound(`Active API key "${name}"`);
    return row.key;
  }

  async list(): Promise<ApiKeyRow[]> {
    this.access.requireKeyAdmin();
    const rows = await this.db.read<{ key: ApiKeyRow }>('auth/listApiKeys', {});
    return rows.map((row) => row.key);
  }
}

/**
 * Resolves bearer API keys to principals, remembering each for a short while to spare a query per
 * request. Unknown ids are remembered too, so that a client retrying a bad key does not cost a
 * query each time; the bound keeps a flood of made-up ids from growing the cache.
 */
export class ApiKeyAuthenticator {
  /** null: no such key. */
  private readonly cache: LruCache<string, ApiKeyRow | null>;

  constructor(
    private readonly gateway: Neo4jGateway,
    config: Pick<AuthConfig, 'keyCacheMs' | 'keyCacheSize'>,
  ) {
    this.cache = new LruCache(config.keyCacheSize, config.keyCacheMs);
  }

  /** How many key ids it remembers now. */
  get cachedKeys(): number {
    return this.cache.size;
  }

  async authenticate(token: string): Promise<Principal> {
    const match = KEY_PATTERN.exec(token);
    if (!match) throw unauthenticated('The API key is malformed');
    const [, id, secret] = match;
    const row = await this.lookup(id);
    const expected = row?.hash ? Buffer.from(row.hash, 'hex') : undefined;
    const given = Buffer.from(hashSecret(secret), 'hex');
    if (!row || !expected || expected.length !== given.length || !timingSafeEqual(expected, given)) throw unauthenticated('The API key is not valid');
    if (row.revokedAt) throw unauthenticated('The API key was revoked');
    return { name: row.name, kind: 'apiKey', role: row.role, ...(row.source ? { source: row.source } : {}) };
  }

  private async lookup(id: string): Promise<ApiKeyRow | null> {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const [found] = await this.gateway.forRequest({ operation: 'authenticate' }).read<{ key: ApiKeyRow }>('auth/findApiKey', { id });
    const row = found?.key ?? null;
    this.cache.set(id, row);
    return row;
  }
}

export function unauthenticated(message: string) {
  return codedError('UNAUTHENTICATED', message, { http: { status: 401 } });
}
