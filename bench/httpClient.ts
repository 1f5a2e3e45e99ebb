/**
 * How the benches call the API over HTTP: node:http on kept-alive sockets. The clients share the
 * machine with the API they measure, and a latency series shares its event loop too, so whatever a
 * client spends is counted against the API. fetch (undici) spent about half a millisecond more CPU
 * per small request here: a third of what the whole process spent per OpenLineage event.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface HttpAnswer {
  status: number;
  /** The body parsed as JSON (undefined when it is empty). */
  body: unknown;
}

function post(url: URL, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
          } catch (error) {
            reject(new Error(`${url.pathname} answered ${response.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`, { cause: error }));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * POSTs a body and reads the JSON answer. A kept-alive socket the server closes as the next call
 * goes out is reset before the server reads that call (on a loaded machine, after a long pause):
 * such a call is sent again, once.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
  const target = new URL(url);
  try {
    return await post(target, body, headers);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
    return post(target, body, headers);
  }
}
