import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { GraphQLContext } from './context';
import type { Logger } from './logger';

/** How a request's context is built, whichever way the request came; `body`: the request's parsed JSON. */
export type GraphQLContextFor = (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<GraphQLContext>;

/** The answer to a body the API will not read, in GraphQL's error shape (the code tells a client it was the request). */
export function refuseBody(res: ServerResponse, status: number, maxBodyBytes: number): void {
  const message =
    status === 413 ? `The request body exceeds ${maxBodyBytes} bytes (MAX_BODY_BYTES)`
    : status === 415 ? 'The request body must be JSON in UTF-8'
    : 'The request body is not valid JSON';
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Serves the plain GraphQL POST (a JSON body, not content-encoded) straight from Node's HTTP server,
 * and answers false for every other request, which Express then serves as before (its JSON parser
 * inflates encoded bodies and refuses other charsets). Express's router and body parser cost about
 * 0.15 ms of CPU per request on the machines measured (bench/README.md), about a tenth of a
 * hundred-record impact's whole cost under load: the GraphQL POST is the request that comes by the
 * thousand, and it needs none of their features.
 */
export function graphqlPostServer(apollo: ApolloServer<GraphQLContext>, options: { path: string; contextFor: GraphQLContextFor; maxBodyBytes: number; logger: Logger }) {
  const { path, contextFor, maxBodyBytes, logger } = options;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if ((query === -1 ? url : url.slice(0, query)) !== path) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) return false;
    const declared = Number(req.headers['content-length']);
    if (declared > maxBodyBytes) {
      req.resume();
      refuseBody(res, 413, maxBodyBytes);
      return true;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    // A client that goes away mid-body must not become an unhandled stream error.
    req.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBodyBytes) return void chunks.push(chunk);
      // Answered as soon as the limit is passed, and the connection closed, so that a body that never
      // ends is not read to its end.
      if (!res.headersSent) {
        res.setHeader('connection', 'close');
        refuseBody(res, 413, maxBodyBytes);
      }
    });
    req.on('end', () => {
      if (received > maxBodyBytes) return;
      const body = parseStrictJson(Buffer.concat(chunks, received).toString('utf8'));
      if (body === undefined) return refuseBody(res, 400, maxBodyBytes);
      answer(apollo, req, res, url.slice(path.length), body, contextFor).catch((error: unknown) => {
        // Apollo answers every failure of the operation itself; this is the response failing to leave.
        logger.error('graphql response failed', { message: error instanceof Error ? error.message : String(error) });
        res.destroy();
      });
    });
    return true;
  };
}

/**
 * A JSON object or array, as Express's parser takes it in its strict mode (an empty body is an empty
 * object); undefined for anything else.
 */
function parseStrictJson(text: string): unknown {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start === '') return {};
  if (start[0] !== '{' && start[0] !== '[') return undefined;
  try {
    return JSON.parse(start);
  } catch {
    return undefined;
  }
}

async function answer(apollo: ApolloServer<GraphQLContext>, req: IncomingMessage, res: ServerResponse, search: string, body: unknown, contextFor: GraphQLContextFor): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search, body },
    context: () => contextFor(req, res, body),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
