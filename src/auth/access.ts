import { codedError } from '../errors';
import type { EntityType } from '../estate/model';

export type Role = 'VIEWER' | 'COMPLIANCE' | 'SYNC' | 'ADMIN';
export const ROLES: readonly Role[] = ['VIEWER', 'COMPLIANCE', 'SYNC', 'ADMIN'];

/** Who is calling, as established by authentication. */
export interface Principal {
  /** A key's name, a token's subject, `anonymous`, or what the project's own work (a seed, a script) calls itself. */
  name: string;
  kind: 'anonymous' | 'apiKey' | 'jwt' | 'system';
  role: Role;
  /** For SYNC: the one source it may write. */
  source?: string;
}

/** The records a COMPLIANCE caller maintains: the register, the controls and their evidence. */
const GOVERNANCE_TYPES: readonly EntityType[] = ['Risk', 'Control', 'Evidence'];

export const SYSTEM_PRINCIPAL: Principal = { name: 'system', kind: 'system', role: 'ADMIN' };

/**
 * The rules of who may do what, asked by services before they write. Reads need only a principal:
 * every role reads the whole graph.
 */
export class Access {
  constructor(readonly principal: Principal) {}

  /**
   * The name the audit history records. Key names and token subjects are chosen by different
   * people (an identity provider may issue a subject that is also a key's name), so each says
   * which it is: `key:<name>`, `jwt:<subject>`.
   */
  get actor(): string {
    const { kind, name } = this.principal;
    if (kind === 'apiKey') return `key:${name}`;
    if (kind === 'jwt') return `jwt:${name}`;
    return name;
  }

  /** Creating, changing, deleting or linking from one record of a type and source. */
  requireRecordWrite(type: EntityType, source: string): void {
    const { role } = this.principal;
    if (role === 'ADMIN') return;
    if (role === 'SYNC' && source === this.principal.source) return;
    if (role === 'COMPLIANCE' && GOVERNANCE_TYPES.includes(type)) return;
    throw this.forbidden(
      role === 'SYNC'
        ? `a SYNC key for source "${this.principal.source}" cannot write ${type} records of source "${source}"`
        : `the ${role} role cannot write ${type} records`,
    );
  }

  /** Mappings, claims that controls satisfy requirements, applicability, compromise handling. */
  requireCompliance(what: string): void {
    if (this.principal.role === 'ADMIN' || this.principal.role === 'COMPLIANCE') return;
    throw this.forbidden(`${what} needs the COMPLIANCE or ADMIN role`);
  }

  /** Managing API keys: an authenticated administrator, never an anonymous demo visitor. */
  requireKeyAdmin(): void {
    if (this.principal.role === 'ADMIN' && this.principal.kind !== 'anonymous') return;
    throw this.forbidden('managing API keys needs an ADMIN key or token');
  }

  private forbidden(reason: string) {
    return codedError('FORBIDDEN', `Forbidden: ${reason}`, { role: this.principal.role });
  }
}
