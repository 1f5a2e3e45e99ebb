/**
 * Two costs of neo4j-driver's Node channel (neo4j-driver-bolt-connection 6), taken off at the one
 * place each is made, for every driver in the process:
 *
 * - Sending: the chunker hands the socket each 1,400 bytes of a message as a write of its own, so a
 *   sync call's ten thousand rows of parameters cost a thousand system calls and more, which are
 *   dear on the virtual machines measured (bench/README.md). The socket is corked for the rest of
 *   the tick in which the driver writes, so that a statement, or several sent together, leaves in
 *   one `writev`.
 * - Receiving: a message longer than one chunk (any large answer: an impact of a thousand records
 *   is one record of about 50 KB) arrives as a list of chunks, and the driver then decodes every
 *   string in it by walking that list with a fresh StringDecoder: decoding was a sixth of such a
 *   request's time. The chunks are joined into one buffer once, where decoding is a slice's
 *   toString.
 *
 * Both reach into the driver's private classes. When their shape is not the one expected (another
 * driver version), nothing is changed and `tuneBoltChannel` says which did not apply, so that its
 * test fails before the cost quietly comes back.
 */
import { createRequire } from 'node:module';

/** A buffer of the driver's channel: the Node Buffer it wraps. */
interface ChannelBuffer {
  _buffer: Buffer;
}

interface NodeChannelPrototype {
  write(this: NodeChannelInstance, buffer: ChannelBuffer): void;
}
interface NodeChannelInstance {
  /** Writes queued before the socket connects (the channel flushes them itself). */
  _pending: unknown[] | null;
  _conn: { cork(): void; uncork(): void; writableCorked: number } | undefined;
}
interface DechunkerPrototype {
  _onHeader(this: DechunkerInstance, header: number): unknown;
}
interface DechunkerInstance {
  _currentMessage: ChannelBuffer[];
}

const TUNED = Symbol.for('lineage-graph.boltChannelTuned');

export interface BoltChannelTuning {
  coalescedWrites: boolean;
  joinedChunks: boolean;
}

let outcome: BoltChannelTuning | undefined;

/** Applies both adjustments once per process (later calls answer what the first did). */
export function tuneBoltChannel(): BoltChannelTuning {
  outcome ??= { coalescedWrites: coalesceWrites(), joinedChunks: joinChunks() };
  return outcome;
}

/** The driver's own copy of its connection package, wherever npm placed it. */
function driverInternal(path: string): Record<string, unknown> | undefined {
  try {
    return createRequire(require.resolve('neo4j-driver'))(`neo4j-driver-bolt-connection/lib/${path}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function coalesceWrites(): boolean {
  const NodeChannel = driverInternal('channel/node/node-channel')?.default as { prototype: NodeChannelPrototype & { [TUNED]?: true } } | undefined;
  const prototype = NodeChannel?.prototype;
  if (!prototype || typeof prototype.write !== 'function') return false;
  if (prototype[TUNED]) return true;
  const write = prototype.write;
  prototype.write = function corkedWrite(buffer) {
    const socket = this._conn;
    if (this._pending === null && socket && typeof socket.cork === 'function' && !socket.writableCorked) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    write.call(this, buffer);
  };
  prototype[TUNED] = true;
  return true;
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
