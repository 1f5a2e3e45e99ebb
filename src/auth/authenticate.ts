import type { Config } from '../config';
import type { Neo4jGateway } from '../db/gateway';
import type { Principal } from './access';
import { ApiKeyAuthenticator, looksLikeApiKey, unauthenticated } from './apiKeys';
import { JwtAuthenticator } from './jwt';

const ANONYMOUS_READER: Principal = { name: 'anonymous', kind: 'anonymous', role: 'VIEWER' };
/** Only with DEMO_MODE (config refuses it otherwise): a local demo anyone may edit. */
const ANONYMOUS_DEMO_EDITOR: Principal = { name: 'anonymous', kind: 'anonymous', role: 'ADMIN' };

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

/** Turns an Authorization header into a principal: an API key, a JWT, or the configured anonymous access. */
export function createAuthenticator(config: Config, gateway: Neo4jGateway): Authenticate {
  const keys = new ApiKeyAuthenticator(gateway, config.auth);
  const jwt = config.auth.jwt ? new JwtAuthenticator(config.auth.jwt) : undefined;
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') {
      if (config.auth.anonymousAccess === 'write') return ANONYMOUS_DEMO_EDITOR;
      if (config.auth.anonymousAccess === 'read') return ANONYMOUS_READER;
      throw unauthenticated('Send an API key or a token as `Authorization: Bearer …`');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('The Authorization header must be `Bearer <key or token>`');
    const token = match[1];
    if (looksLikeApiKey(token)) return keys.authenticate(token);
    if (jwt) return jwt.authenticate(token);
    throw unauthenticated('The bearer value is not an API key, and JWT validation is not configured');
  };
}
