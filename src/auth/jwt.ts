import fs from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, JWTVerifyGetKey, jwtVerify } from 'jose';
import type { JwtConfig } from '../config';
import type { Principal, Role } from './access';
import { ROLES } from './access';
import { unauthenticated } from './apiKeys';

/**
 * Validates bearer tokens from an organisation's identity provider: signature against its JWKS,
 * issuer, audience and expiry (which must be there unless configured otherwise). The role comes
 * from a claim; a token without one reads only.
 */
export class JwtAuthenticator {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly config: JwtConfig) {
    this.keys = config.jwks.startsWith('https://')
      ? createRemoteJWKSet(new URL(config.jwks))
      : createLocalJWKSet(JSON.parse(fs.readFileSync(config.jwks, 'utf8')));
  }

  async authenticate(token: string): Promise<Principal> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: this.config.requireExp ? ['exp'] : [],
      }));
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired ? 'expired'
        : error instanceof joseErrors.JWTClaimValidationFailed ? (error.reason === 'missing' ? `missing its ${error.claim} claim` : `invalid ${error.claim}`)
        : 'not valid';
      throw unauthenticated(`The bearer token is ${reason}`);
    }
    const claimed = payload[this.config.roleClaim];
    const role: Role = typeof claimed === 'string' && (ROLES as readonly string[]).includes(claimed) ? (claimed as Role) : 'VIEWER';
    const source = payload[this.config.sourceClaim];
    if (role === 'SYNC' && typeof source !== 'string') throw unauthenticated(`A SYNC token needs the ${this.config.sourceClaim} claim`);
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw unauthenticated('The bearer token has no subject');
    return { name: payload.sub, kind: 'jwt', role, ...(role === 'SYNC' ? { source: source as string } : {}) };
  }
}
