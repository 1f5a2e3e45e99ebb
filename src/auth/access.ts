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

/** The records a COMPLIANCE caller maintains: the register, the controls and their evidence, the rules that turn signals into incidents. */
const GOVERNANCE_TYPES: readonly EntityType[] = ['Risk', 'Control', 'Evidence', 'VendorAssessment', 'GateApproval', 'Playbook', 'Policy', 'DiscoverySource', 'SignalRule'];

/**
 * Records that act on every source's assets (a rule may open incidents and mark any asset compromised), and the
 * security programme's own records (playbooks, policies, discovery declarations), which no inventory asserts: a
 * SYNC key does not write them, even in its own source.
 */
const CROSS_SOURCE_TYPES: readonly EntityType[] = ['SignalRule', 'Playbook', 'Policy', 'DiscoverySource'];

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
    if (this.mayWriteRecord(type, source)) return;
    throw this.forbidden(
      this.principal.role === 'SYNC'
        ? `a SYNC key for source "${this.principal.source}" cannot write ${type} records of source "${source}"`
        : `the ${this.principal.role} role cannot write ${type} records`,
    );
  }

  /**
   * A sync call under a source, before anything in its payload is looked at: an empty REPLACE
   * deletes as surely as a full one. A VIEWER never writes; a SYNC key writes its own source only,
   * since the call's source is also the name it puts on every relationship it asserts.
   */
  requireSourceWrite(source: string): void {
    const { role } = this.principal;
    if (role === 'ADMIN' || role === 'COMPLIANCE') return;
    if (role === 'SYNC' && source === this.principal.source) return;
    throw this.forbidden(
      role === 'SYNC' ? `a SYNC key for source "${this.principal.source}" cannot sync source "${source}"` : `the ${role} role cannot sync inventory`,
    );
  }

  /** What a REPLACE would remove, checked as the writes they are: every type, in the source. */
  requireRemovals(removals: Map<EntityType, number>, source: string): void {
    const refused = [...removals].filter(([type]) => !this.mayWriteRecord(type, source));
    if (refused.length === 0) return;
    const what = refused.map(([type, count]) => `${count} ${type}`).join(', ');
    throw this.forbidden(`this REPLACE would remove ${what} record(s) or relationship(s) of source "${source}", which the ${this.principal.role} role cannot write; send them again, or use UPSERT`);
  }

  private mayWriteRecord(type: EntityType, source: string): boolean {
    const { role } = this.principal;
    if (role === 'ADMIN') return true;
    // An approval is the decision of a person the organisation named (Owner.approvesStages), never an inventory's.
    if (role === 'SYNC' && type === 'GateApproval') return false;
    if (role === 'SYNC') return source === this.principal.source && !CROSS_SOURCE_TYPES.includes(type);
    return role === 'COMPLIANCE' && GOVERNANCE_TYPES.includes(type);
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
