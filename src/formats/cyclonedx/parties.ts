import type { PayloadBuilder, RecordRef } from '../payloadBuilder';
import { pointer } from '../pointer';
import { GOVERNANCE_ROLES, PROVIDER_ROLES } from './vocabulary';
import { isObject, text, unread } from '../read';

/**
 * Vendors and owners named inside components: a supplier, manufacturer or publisher becomes a
 * Vendor, a dataset's governance party an Owner. An organisation is keyed by its bom-ref; one
 * named without (a publisher is only a name) by the bom-ref its name has elsewhere in the
 * document, else by its name, so that the same party is one record however often it is named.
 */
export class Parties {
  private readonly refsByName = new Map<string, string>();

  constructor(private readonly builder: PayloadBuilder) {}

  /** First pass: remember which names come with a bom-ref. */
  learn(entity: unknown, kind: 'vendor' | 'owner'): void {
    if (!isObject(entity)) return;
    const ref = text(entity['bom-ref']);
    const name = text(entity.name) ?? text(entity.email);
    if (ref && name && !this.refsByName.has(`${kind}|${name}`)) this.refsByName.set(`${kind}|${name}`, ref);
  }

  private externalId(kind: 'vendor' | 'owner', ref: string | undefined, name: string): string {
    return ref ?? this.refsByName.get(`${kind}|${name}`) ?? `${kind}:${name}`;
  }

  /** PROVIDED_BY from the record to each party that supplies, manufactures or publishes it. */
  providers(component: Record<string, unknown>, at: string, from: RecordRef): void {
    for (const role of PROVIDER_ROLES) {
      const value = component[role];
      if (value === undefined) continue;
      const where = pointer(at, role);
      const entity = typeof value === 'string' ? { name: value } : value;
      if (!isObject(entity) || !text(entity.name)) {
        this.builder.warn(where, `a ${role} without a name is not kept`);
        continue;
      }
      const name = text(entity.name)!;
      const externalId = this.externalId('vendor', text(entity['bom-ref']), name);
      this.builder.addRecord('Vendor', { externalId, name }, { pointer: where, fields: { name: pointer(where, 'name'), externalId: pointer(where, 'bom-ref') } });
      this.builder.link('PROVIDED_BY', from, { type: 'Vendor', externalId }, where, { roles: [role] });
      if (typeof value !== 'string') unread(value as Record<string, unknown>, where, ['bom-ref', 'name'], this.builder);
    }
  }

  /** OWNED_BY from a dataset to each party its governance names, with the party's role. */
  governance(governance: unknown, at: string, from: RecordRef): void {
    if (!isObject(governance)) {
      this.builder.warn(at, 'governance must be an object; not kept');
      return;
    }
    for (const [list, role] of Object.entries(GOVERNANCE_ROLES)) {
      const parties = governance[list];
      if (!Array.isArray(parties)) continue;
      parties.forEach((party, index) => this.owner(party, pointer(at, list, index), role, from));
    }
    unread(governance, at, Object.keys(GOVERNANCE_ROLES), this.builder);
  }

  private owner(party: unknown, at: string, role: string, from: RecordRef): void {
    const organization = isObject(party) && isObject(party.organization) ? party.organization : undefined;
    const contact = isObject(party) && isObject(party.contact) ? party.contact : undefined;
    const entity = organization ?? contact;
    const name = entity ? (text(entity.name) ?? text(entity.email)) : undefined;
    if (!entity || !name) {
      this.builder.warn(at, 'a responsible party without an organization or contact name is not kept');
      return;
    }
    const where = pointer(at, organization ? 'organization' : 'contact');
    const externalId = this.externalId('owner', text(entity['bom-ref']), name);
    const email = contact ? text(contact.email) : undefined;
    const fields = { externalId, name, kind: organization ? 'TEAM' : 'PERSON', ...(email ? { email } : {}) };
    this.builder.addRecord('Owner', fields, { pointer: where, fields: { name: pointer(where, 'name'), email: pointer(where, 'email'), externalId: pointer(where, 'bom-ref') } });
    this.builder.link('OWNED_BY', from, { type: 'Owner', externalId }, at, { roles: [role] });
    unread(entity, where, ['bom-ref', 'name', 'email'], this.builder);
  }
}
