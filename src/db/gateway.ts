import neo4j, { Driver, ManagedTransaction, Neo4jError, QueryResult, RecordShape } from 'neo4j-driver';
import { GraphQLError } from 'graphql';
import { codedError, concurrentChange } from '../errors';
import { tuneBoltChannel } from './boltChannel';
import type { Logger } from '../logger';
import type { QueryName } from '../generated/queries';
import { CypherCatalog } from './cypherCatalog';
import { toNative, toNeo4j } from './neo4jValues';

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string | undefined;
  database: string;
  /** How long managed transactions retry transient failures; defaults to the driver's 30 s. */
  maxRetryMs?: number;
}

export interface UnitOfWorkMeta {
  /** The GraphQL operation or script that caused the work, recorded as transaction metadata. */
  operation?: string;
  requestId?: string;
}

/** A transaction handed to multi-statement work, running catalogue queries by name. */
export interface Tx<Name extends string = QueryName> {
  run<Row = Record<string, unknown>>(query: Name, params?: Record<string, unknown>): Promise<Row[]>;
}

/** What every transaction carries, so that Neo4j's query log and `SHOW TRANSACTIONS` name its cause. */
const transactionConfig = (meta: UnitOfWorkMeta) => ({ metadata: { app: 'lineage-graph', operation: meta.operation ?? 'unnamed', requestId: meta.requestId ?? '' } });

/**
 * Sends a statement without the stack neo4j-driver captures for it. The driver records its caller's
 * stack on every result so that its errors would point there; this gateway turns every driver error
 * into a coded GraphQL error and logs Neo4j's code and message, never that stack, and formatting one
 * per statement was about 6% of the busy process's CPU where statements are many and small (OpenLineage).
 */
function withoutCallerStack<T>(send: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return send();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function createDriver(connection: Neo4jConnection): Driver {
  tuneBoltChannel();
  const auth = connection.password === undefined ? undefined : neo4j.auth.basic(connection.user, connection.password);
  return neo4j.driver(connection.uri, auth, {
    // Integers arrive as numbers (see toNative for why that is safe here): decoding skips an
    // Integer object per value, which large traversal results feel.
    disableLosslessIntegers: true,
    maxTransactionRetryTime: connection.maxRetryMs ?? 30_000,
    connectionAcquisitionTimeout: 20_000,
    userAgent: 'lineage-graph',
  });
}

/**
 * The only code that talks to Neo4j: it opens a session per unit of work, runs writes in managed
 * (retried) transactions and reads as auto-committed statements (retried alike), all tagged with
 * metadata, logs Cypher at debug level, converts values to plain JavaScript and turns driver
 * failures into coded GraphQL errors.
 */
export class Neo4jGateway<Name extends string = QueryName> {
  constructor(
    private readonly driver: Driver,
    private readonly database: string,
    readonly catalog: CypherCatalog<Name>,
    private readonly logger: Logger,
    /** How long a single read retries transient failures, as managed transactions do (the driver's maxTransactionRetryTime). */
    private readonly maxRetryMs = 30_000,
  ) {}

  forRequest(meta: UnitOfWorkMeta): RequestGateway<Name> {
    return new RequestGateway(this, meta);
  }

  /**
   * Reads run each statement auto-committed (readStatement). Neo4j's transactions are read-committed,
   * so statements in one read transaction see no more consistent a graph than the same statements
   * one after another: the transaction would only cost its BEGIN and COMMIT.
   */
  readTx<T>(work: (tx: Tx<Name>) => Promise<T>, meta: UnitOfWorkMeta = {}, onQuery?: () => void): Promise<T> {
    return work({ run: <Row>(name: Name, params: Record<string, unknown> = {}) => this.readStatement<Row>(name, params, meta, onQuery) });
  }

  /**
   * Writes run in one managed transaction, retried whole on transient failures. Statements that do
   * not need each other's answers may be sent together (run without awaiting, then await them all):
   * Neo4j runs them in the order sent, and the transaction saves a round trip per statement.
   */
  async writeTx<T>(work: (tx: Tx<Name>) => Promise<T>, meta: UnitOfWorkMeta = {}, onQuery?: () => void): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    const txConfig = transactionConfig(meta);
    // Work may send statements without awaiting each (they run in the order sent), and the driver
    // fails those after a failed one too, in no set order: the one to blame is the first sent of
    // those that failed.
    let sent: Name[] = [];
    let firstFailed = Infinity;
    const body = async (transaction: ManagedTransaction): Promise<T> => {
      sent = [];
      firstFailed = Infinity;
      return work({
        run: async <Row>(name: Name, params: Record<string, unknown> = {}): Promise<Row[]> => {
          const position = sent.push(name) - 1;
          const text = this.catalog.get(name, params);
          const parameters = toNeo4j(params) as Record<string, unknown>;
          onQuery?.();
          const started = Date.now();
          try {
            return this.rowsOf<Row>(name, text, params, await withoutCallerStack(() => transaction.run(text, parameters)), started);
          } catch (error) {
            firstFailed = Math.min(firstFailed, position);
            throw error;
          }
        },
      });
    };
    try {
      return await session.executeWrite(body, txConfig);
    } catch (error) {
      throw this.mapError(error, sent[firstFailed] ?? sent.at(-1) ?? '');
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  /**
   * One read statement, auto-committed. A managed transaction sends BEGIN and COMMIT around the
   * statement, each a socket write of its own, and a lookup's reads are mostly single statements:
   * those writes were a third of the API's CPU on a one-record lookup. Transient failures are retried
   * as a managed transaction retries them, for up to maxRetryMs.
   */
  async readStatement<Row = Record<string, unknown>>(name: Name, params: Record<string, unknown>, meta: UnitOfWorkMeta = {}, onQuery?: () => void): Promise<Row[]> {
    let text: string;
    try {
      text = this.catalog.get(name, params);
    } catch (error) {
      throw this.mapError(error, name);
    }
    const parameters = toNeo4j(params) as Record<string, unknown>;
    const txConfig = transactionConfig(meta);
    onQuery?.();
    const deadline = Date.now() + this.maxRetryMs;
    for (let delayMs = 100; ; delayMs *= 2) {
      const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
      const started = Date.now();
      try {
        return this.rowsOf<Row>(name, text, params, await withoutCallerStack(() => session.run(text, parameters, txConfig)), started);
      } catch (error) {
        if (!neo4j.isRetryableError(error) || Date.now() + delayMs > deadline) throw this.mapError(error, name);
      } finally {
        await session.close().catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  /** Statements outside a managed transaction: schema changes cannot share one with data. */
  async runAutoCommit(statement: string): Promise<void> {
    const session = this.driver.session({ database: this.database });
    try {
      await session.run(statement);
    } catch (error) {
      throw this.mapError(error, statement);
    } finally {
      await session.close();
    }
  }

  /**
   * A named query that commits in batches of its own (`CALL { ... } IN TRANSACTIONS`, e.g. the
   * history prune): those run only outside a managed transaction, and are not retried here, since
   * a retry could not undo the batches already committed (such a query must be safe to run again).
   */
  async runBatched<Row = Record<string, unknown>>(name: Name, params: Record<string, unknown> = {}, meta: UnitOfWorkMeta = {}): Promise<Row[]> {
    const session = this.driver.session({ database: this.database });
    const text = this.catalog.get(name, params);
    try {
      const result = await session.run(text, toNeo4j(params) as Record<string, unknown>, transactionConfig(meta));
      return result.records.map((record) => toNative(record.toObject()) as Row);
    } catch (error) {
      throw this.mapError(error, name);
    } finally {
      await session.close();
    }
  }

  async ping(timeoutMs = 2_000): Promise<boolean> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      // Auto-commit, so no managed retries: readiness must answer now, not after the retry window.
      await session.run('RETURN 1', {}, { timeout: timeoutMs });
      return true;
    } catch {
      return false;
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** A statement's records as plain JavaScript, logged at debug level. */
  private rowsOf<Row>(name: Name, text: string, params: Record<string, unknown>, result: QueryResult<RecordShape>, started: number): Row[] {
    if (this.logger.isDebugEnabled()) {
      this.logger.debug('cypher', { query: name, cypher: text, params: Object.keys(params), rows: result.records.length, ms: Date.now() - started });
    }
    return result.records.map((record) => toNative(record.toObject()) as Row);
  }

  private mapError(error: unknown, query: string): GraphQLError {
    if (error instanceof GraphQLError) return error;
    const code = error instanceof Neo4jError ? error.code : '';
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
      return codedError('CONFLICT', 'The write conflicts with an existing record that has the same key');
    }
    // A node read earlier in the transaction was deleted by another one before this one wrote it.
    if (code === 'Neo.ClientError.Statement.EntityNotFound') return concurrentChange();
    if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut') || code === 'Neo.TransientError.Transaction.LockClientStopped') {
      return codedError('TIMEOUT', 'The database did not finish the request in time');
    }
    if (
      code === 'ServiceUnavailable' ||
      code === 'SessionExpired' ||
      code.startsWith('Neo.TransientError') ||
      code === 'Neo.ClientError.Database.DatabaseNotFound' ||
      /connect|ECONNREFUSED|ECONNRESET|socket/i.test(message)
    ) {
      this.logger.warn('neo4j unavailable', { query, code, error: message });
      return codedError('SERVICE_UNAVAILABLE', 'The graph database is unavailable; try again shortly');
    }
    this.logger.error('neo4j query failed', { query, code, error: message });
    return codedError('INTERNAL_SERVER_ERROR', 'Internal server error', { cause: 'database' });
  }
}

/**
 * The gateway as one GraphQL request sees it: its metadata on every transaction, and a count of
 * the queries it sent (how the tests prove that nested reads are batched).
 */
export class RequestGateway<Name extends string = QueryName> {
  queryCount = 0;

  constructor(
    private readonly gateway: Neo4jGateway<Name>,
    readonly meta: UnitOfWorkMeta,
  ) {}

  private readonly counted = () => {
    this.queryCount += 1;
  };

  read<Row = Record<string, unknown>>(name: Name, params: Record<string, unknown>): Promise<Row[]> {
    return this.gateway.readStatement<Row>(name, params, this.meta, this.counted);
  }

  write<Row = Record<string, unknown>>(name: Name, params: Record<string, unknown>): Promise<Row[]> {
    return this.gateway.writeTx((tx) => tx.run<Row>(name, params), this.meta, this.counted);
  }

  readTx<T>(work: (tx: Tx<Name>) => Promise<T>): Promise<T> {
    return this.gateway.readTx(work, this.meta, this.counted);
  }

  writeTx<T>(work: (tx: Tx<Name>) => Promise<T>): Promise<T> {
    return this.gateway.writeTx(work, this.meta, this.counted);
  }
}
