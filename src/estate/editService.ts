import type { GraphQLInputObjectType, GraphQLSchema } from 'graphql';
import type { Access } from '../auth/access';
import type { GateEnforcement } from '../config';
import { ProgrammeWriteRules } from '../gates/writeRules';
import type { RequestGateway, Tx } from '../db/gateway';
import { codedError, conflict, failOnProblems, InputProblem, notFound } from '../errors';
import type { EntityPatchInput } from '../generated/graphql';
import { AuditLog, deletionChanges, planEntityChange } from './audit';
import { estateRepository as repo, RelationshipRow } from './estateRepository';
import type { EstateService } from './estateService';
import { EntityRow, EntityType, entityKey, RelationshipType } from './model';
import { storableProperties } from './values';
import { checkEndpoints, checkEntityInput, checkPatch, checkRelationshipProperties, checkSource } from './validation';

/** A change to one locked record: who may make it, and why it is made (kept on the audit event). */
export interface PatchTerms {
  admit: (existing: EntityRow) => void;
  reason?: string;
}

/**
 * Hand edits of single records and relationships. Each reads the record it changes under its
 * write lock, inside the transaction that writes it, so checks hold until the commit.
 */
export class EditService {
  constructor(
    private readonly db: RequestGateway,
    private readonly schema: GraphQLSchema,
    private readonly access: Access,
    private readonly reads: EstateService,
    gateEnforcement: GateEnforcement,
  ) {
    this.rules = new ProgrammeWriteRules(gateEnforcement, access);
  }

  /** The security programme's rules on hand edits: gates, and what only a sync may change. */
  private readonly rules: ProgrammeWriteRules;

  async create(type: EntityType, input: Record<string, unknown>, source: string): Promise<EntityRow> {
    const problems: InputProblem[] = [];
    checkSource(source, 'source', problems);
    failOnProblems(problems, 'source');
    this.access.requireRecordWrite(type, source);
    const desired = checkEntityInput(type, input, 'input', problems);
    failOnProblems(problems, `${type}`);
    const externalId = String(input.externalId).trim();
    const id = await this.db.writeTx(async (tx) => {
      const [existing] = await repo.findByKeys(tx, [entityKey(type, source, externalId)], { retired: true });
      if (existing && !existing.retired) throw conflict(`A ${type} with externalId "${externalId}" already exists in source "${source}"`, { id: existing.id });
      const change = planEntityChange(type, source, externalId, desired!, existing);
      const now = new Date().toISOString();
      const audit = new AuditLog(this.access.actor, now, source);
      audit.entity('CREATE', change.row.id, type, change.changes);
      const row = { ...change.row, properties: storableProperties(change.row.properties) };
      await (existing ? repo.reviveEntities(tx, [row], now) : repo.createEntities(tx, [row], now));
      await repo.recordAuditEvents(tx, audit.rows);
      return change.row.id;
    });
    return this.reload(id);
  }

  update(id: string, patch: EntityPatchInput, expectedVersion: number | null | undefined): Promise<EntityRow> {
    return this.patch(id, patch, expectedVersion, { admit: (existing) => this.access.requireRecordWrite(existing.type, existing.source) });
  }

  /** Applies a patch to the locked record, once `terms.admit` has accepted the caller for it. */
  patch(id: string, patch: EntityPatchInput, expectedVersion: number | null | undefined, terms: PatchTerms): Promise<EntityRow> {
    return this.write(id, expectedVersion, terms, (existing) => {
      const problems: InputProblem[] = [];
      const desired = checkPatch(this.schema.getType(`${existing.type}Input`) as GraphQLInputObjectType, existing, patch, problems);
      failOnProblems(problems, 'patch');
      return desired!;
    });
  }

  /**
   * Writes the fields `decide` returns for the locked record (checked there, at the instant the
   * change is recorded at), once `terms.admit` has accepted the caller: one audited new version.
   * Fields no input type offers (an AI system's classification) are written this way.
   */
  async write(id: string, expectedVersion: number | null | undefined, terms: PatchTerms, decide: (existing: EntityRow, now: string) => Record<string, unknown>): Promise<EntityRow> {
    await this.db.writeTx(async (tx) => {
      const existing = await this.locked(tx, id, expectedVersion);
      terms.admit(existing);
      const now = new Date().toISOString();
      const change = planEntityChange(existing.type, existing.source, existing.externalId, decide(existing, now), existing);
      if (change.outcome === 'unchanged') return;
      const audit = new AuditLog(this.access.actor, now, existing.source, terms.reason);
      audit.entity('UPDATE', id, existing.type, change.changes);
      await this.rules.applyToPatch(tx, existing, change.row.properties, audit, now);
      await repo.updateEntities(tx, [{ ...change.row, properties: storableProperties(change.row.properties) }], now);
      await repo.recordAuditEvents(tx, audit.rows);
    });
    return this.reload(id);
  }

  async delete(id: string, cascade: boolean, expectedVersion: number | null | undefined): Promise<{ id: string; relationshipsRemoved: number }> {
    return this.db.writeTx(async (tx) => {
      const existing = await this.locked(tx, id, expectedVersion);
      this.access.requireRecordWrite(existing.type, existing.source);
      const [{ relationships } = { relationships: [] as RelationshipRow[] }] = await repo.relationships(tx, [{ index: 0, id, types: null, direction: 'BOTH' }]);
      if (relationships.length > 0 && !cascade) {
        throw conflict(`${existing.type} "${existing.name}" still has ${relationships.length} relationship(s); unlink them first or delete with cascade: true`, {
          relationships: relationships.length,
        });
      }
      const now = new Date().toISOString();
      const audit = new AuditLog(this.access.actor, now, existing.source);
      for (const rel of relationships) {
        audit.link('UNLINK', { fromId: rel.fromId, type: rel.type, toId: rel.toId }, rel.direction === 'OUTGOING' ? existing.type : rel.other.type, {});
      }
      audit.entity('DELETE', id, existing.type, deletionChanges(existing));
      await repo.deleteEntities(tx, [id], now);
      await repo.recordAuditEvents(tx, audit.rows);
      return { id, relationshipsRemoved: relationships.length };
    });
  }

  async link(type: RelationshipType, fromId: string, toId: string, properties: Record<string, unknown> | null | undefined) {
    this.rules.checkLink(type);
    const problems: InputProblem[] = [];
    const checked = checkRelationshipProperties(properties, 'properties', problems);
    failOnProblems(problems, 'relationship');
    const created = await this.db.writeTx(async (tx) => {
      const rows = await repo.findByIds(tx, [fromId, toId]);
      const from = rows.find((row) => row.id === fromId);
      const to = rows.find((row) => row.id === toId);
      if (!from) throw notFound(`Record ${fromId}`);
      if (!to) throw notFound(`Record ${toId}`);
      this.access.requireRecordWrite(from.type, from.source);
      checkEndpoints(type, from.type, to.type, 'type', problems);
      failOnProblems(problems, 'relationship');
      const ref = { fromId, type, toId };
      const existing = (await repo.relationshipsBetween(tx, [ref])).get(0);
      const now = new Date().toISOString();
      const row = { ...ref, source: 'manual', properties: storableProperties(checked!) };
      await (existing ? repo.updateRelationships(tx, [row], now) : repo.createRelationships(tx, [row], now));
      if (!existing) {
        const audit = new AuditLog(this.access.actor, now, 'manual');
        audit.link('LINK', ref, from.type, checked!);
        await repo.recordAuditEvents(tx, audit.rows);
      }
      return !existing;
    });
    const all = await this.reads.relationships(fromId, [type], 'OUTGOING');
    return { created, relationship: all.find((rel) => rel.toId === toId)! };
  }

  async unlink(type: RelationshipType, fromId: string, toId: string): Promise<{ removed: boolean }> {
    this.rules.checkLink(type);
    return this.db.writeTx(async (tx) => {
      const ref = { fromId, type, toId };
      const [from] = await repo.findByIds(tx, [fromId]);
      if (from) this.access.requireRecordWrite(from.type, from.source);
      const now = new Date().toISOString();
      const removed = from !== undefined && (await repo.deleteRelationship(tx, ref, now));
      if (removed) {
        const audit = new AuditLog(this.access.actor, now, 'manual');
        audit.link('UNLINK', ref, from.type, {});
        await repo.recordAuditEvents(tx, audit.rows);
      }
      return { removed };
    });
  }

  /** The record under its write lock, so that the version compared is the version overwritten. */
  async locked(tx: Tx, id: string, expectedVersion: number | null | undefined): Promise<EntityRow> {
    const existing = await repo.lockEntity(tx, id);
    if (!existing) throw notFound(`Record ${id}`);
    if (expectedVersion !== null && expectedVersion !== undefined && existing.version !== expectedVersion) {
      throw conflict(`${existing.type} "${existing.name}" is at version ${existing.version}, not ${expectedVersion}: it changed since you read it`, {
        currentVersion: existing.version,
      });
    }
    return existing;
  }

  /** A record as it is now, after this request wrote it. */
  async reload(id: string): Promise<EntityRow> {
    this.reads.byId.clear(id);
    const row = await this.reads.byId.load(id);
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', 'A record vanished right after it was written');
    return row;
  }
}
