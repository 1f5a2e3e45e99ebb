/**
 * A cost of neo4j-driver's Node channel (neo4j-driver-bolt-connection 6), taken off where it is
 * made, for every driver in the process. A message longer than one chunk (any large answer: an
 * impact of a thousand records is one record of about 50 KB) arrives as a list of chunks, and the
 * driver then decodes each string in it by walking that list with a fresh StringDecoder: decoding
 * was a sixth of such a request's time. The chunks are joined into one buffer once per message,
 * where decoding a string is a slice's toString.
 *
 * It reaches into the driver's private classes. When their shape is not the one expected (another
 * driver version), nothing is changed and `tuneBoltChannel` says so, so that its test fails before
 * the cost quietly comes back.
 */
import { createRequire } from 'node:module';

/** A buffer of the driver's channel: the Node Buffer it wraps. */
interface ChannelBuffer {
  _buffer: Buffer;
}

interface DechunkerPrototype {
  _onHeader(this: DechunkerInstance, header: number): unknown;
}
interface DechunkerInstance {
  _currentMessage: ChannelBuffer[];
}

const TUNED = Symbol.for('lineage-graph.boltChannelTuned');

let joined: boolean | undefined;

/** Applies the adjustment once per process; answers whether it applies to the installed driver. */
export function tuneBoltChannel(): { joinedChunks: boolean } {
  joined ??= joinChunks();
  return { joinedChunks: joined };
}

/** The driver's own copy of its connection package, wherever npm placed it. */
function driverInternal(path: string): Record<string, unknown> | undefined {
  try {
    return createRequire(require.resolve('neo4j-driver'))(`neo4j-driver-bolt-connection/lib/${path}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function joinChunks(): boolean {
  const chunking = driverInternal('channel/chunking');
  const ChannelBufferClass = driverInternal('channel/channel-buf')?.default as (new (buffer: Buffer) => ChannelBuffer) | undefined;
  const prototype = (chunking?.Dechunker as { prototype: DechunkerPrototype & { [TUNED]?: true } } | undefined)?.prototype;
  if (!prototype || typeof prototype._onHeader !== 'function' || typeof ChannelBufferClass !== 'function') return false;
  if (prototype[TUNED]) return true;
  const onHeader = prototype._onHeader;
  prototype._onHeader = function joinedOnHeader(header) {
    // A zero header ends the message: the driver is about to wrap its chunks for decoding.
    const parts = this._currentMessage;
    if (header === 0 && parts.length > 1 && parts.every((part) => Buffer.isBuffer(part?._buffer))) {
      this._currentMessage = [new ChannelBufferClass(Buffer.concat(parts.map((part) => part._buffer)))];
    }
    return onHeader.call(this, header);
  };
  prototype[TUNED] = true;
  return true;
}
