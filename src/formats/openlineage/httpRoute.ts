import express, { Express, NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { Access, Principal } from '../../auth/access';
import type { Config } from '../../config';
import { badUserInput } from '../../errors';
import { ExportDependencies, one, sendError } from '../../exportHttp';
import { EventBatcher } from './batcher';
import { readEvents } from './events';

/** Where OpenLineage's HTTP transport posts by default (its `endpoint`, appended to the configured url). */
export const OPENLINEAGE_PATH = '/api/v1/lineage';

/**
 * POST /api/v1/lineage: one OpenLineage event per request, as the OpenLineage clients' HTTP
 * transport sends it (JSON, optionally gzip-compressed, `Authorization: Bearer <API key>`). The
 * events are written under the source of the caller's SYNC key, or under `?source=` (which a SYNC
 * key may only name as its own; ADMIN must name one). Statuses as the clients read them: 201 once
 * the event is committed, 4xx for an event that will never be accepted (the clients do not retry
 * those), 503 while the database is away (they retry it, so a redelivered event must change
 * nothing, and does not).
 */
export function mountOpenLineage(app: Express, deps: ExportDependencies & { config: Config }): void {
  const batcher = new EventBatcher((principal, source, events) =>
    deps.createContext('OpenLineageEvents', principal).services.formats.importDocument({ format: 'OPENLINEAGE', source, document: events, mode: 'UPSERT', dryRun: false }),
  );
  // The size limit applies to the body as inflated: a small gzip bomb is refused like a large body.
  const json = express.json({ limit: deps.config.limits.maxBodyBytes });
  app.post(OPENLINEAGE_PATH, json, async (req, res) => {
    const started = Date.now();
    let principal: Principal | undefined;
    let status = 500;
    try {
      principal = await deps.authenticate(req.headers.authorization);
      const source = writableSource(principal, one(req.query.source));
      if (!req.is('application/json')) {
        status = 415;
        res.status(status).json({ error: { code: 'BAD_REQUEST', message: 'Send the event as application/json' } });
        return;
      }
      if (Array.isArray(req.body)) throw badUserInput('One event per request, as OpenLineage\'s HTTP transport sends them; import a list with importDocument or `npm run import`', [{ path: '', message: 'a list' }]);
      const { problems } = readEvents(req.body);
      if (problems.length > 0) throw badUserInput(`Invalid OpenLineage event: ${problems[0].pointer || '(the event)'} ${problems[0].message}`, problems.map((problem) => ({ path: problem.pointer, message: problem.message })));
      const outcome = await batcher.submit(principal, source, req.body);
      status = 201;
      res.status(status).json({ source, warnings: outcome.warnings, batch: { events: outcome.batch.events, assets: outcome.batch.report.sync.assets, relationships: outcome.batch.report.sync.relationships } });
    } catch (error) {
      status = refuse(res, error, deps);
    } finally {
      deps.logger.info('request', { operation: 'OpenLineageEvent', caller: principal ? new Access(principal).actor : null, role: principal?.role ?? null, status, durationMs: Date.now() - started });
    }
  });
  // Body-parser's refusals (too large, not JSON) in the route's own error shape.
  app.use(OPENLINEAGE_PATH, (error: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (typeof error?.status !== 'number' || error.status >= 500) return next(error);
    const tooLarge = error.type === 'entity.too.large';
    res.status(error.status).json({ error: { code: 'BAD_REQUEST', message: tooLarge ? `The event exceeds ${deps.config.limits.maxBodyBytes} bytes (MAX_BODY_BYTES)` : 'The body is not valid JSON' } });
  });
}

/**
 * The source the events write, checked before the event is read: a caller who may not write
 * datasets there learns nothing, and nothing is queued.
 */
function writableSource(principal: Principal, named: string | undefined): string {
  const source = named ?? principal.source;
  new Access(principal).requireRecordWrite('Dataset', source ?? '');
  if (!source) throw badUserInput('Name the source the events write: ?source=NAME (a SYNC key writes its own)', [{ path: 'source', message: 'missing' }]);
  return source;
}

/**
 * Refusals with their problems, so that a sender can fix an event. A conflict that trying again
 * resolves (a record changed under the batch) is a 503: the clients retry 5xx and nothing else, and
 * the event must not be dropped for it. Other errors as the exports send them.
 */
function refuse(res: Response, error: unknown, deps: ExportDependencies): number {
  if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') {
    res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: error.message, problems: error.extensions.problems ?? [] } });
    return 400;
  }
  if (error instanceof GraphQLError && error.extensions.retryable === true) {
    res.status(503).set('retry-after', '1').json({ error: { code: 'SERVICE_UNAVAILABLE', message: error.message } });
    return 503;
  }
  sendError(res, error, deps.logger);
  return res.statusCode;
}
