/**
 * Cuts off a connection whose messages no honest peer sends (policy/trust.ts WIRE_LIMITS):
 * a message announced larger than any real one (refused before its bytes are buffered:
 * bittorrent-protocol would gather it whole, copying its buffer again at every arrival),
 * a request for a block that cannot exist, a flood of requests (queued for our answer, or
 * sent while we choke it), and piece data we never asked for.
 *
 * It wraps bittorrent-protocol's (5.x) own message handlers on the wire, which `checkWire`
 * (shape.ts) has found; they are called with the wire as `this`.
 */
import type { WtWire } from 'webtorrent/dist/webtorrent.min.js';
import {
  judgeRequest,
  WIRE_LIMITS,
  type CutOffReason,
  type WireLimits,
} from '../../policy/trust.ts';

/** The wire as bittorrent-protocol builds it, with the handlers this wraps. */
interface ProtocolWire {
  readonly amChoking: boolean;
  readonly peerRequests: readonly unknown[];
  readonly requests: readonly { piece: number; offset: number; length: number }[];
  _onMessageLength: (this: ProtocolWire, buffer: Uint8Array) => void;
  _onRequest: (this: ProtocolWire, index: number, offset: number, length: number) => void;
  _onPiece: (this: ProtocolWire, index: number, offset: number, buffer: Uint8Array) => void;
}

/** The torrent's layout, once it has its metadata. */
export interface GuardedTorrent {
  readonly pieceCount: number;
  pieceBytes(index: number): number;
}

const readLength = (buffer: Uint8Array): number =>
  new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0);

export function guardWire(
  w: WtWire,
  torrent: () => GuardedTorrent | null,
  cutOff: (reason: CutOffReason) => void,
  limits: WireLimits = WIRE_LIMITS,
): void {
  const wire = w as unknown as ProtocolWire;
  const { _onMessageLength, _onRequest, _onPiece } = wire;
  let chokedRequests = 0;
  let unrequestedBytes = 0;
  // Once cut off, nothing more it sent is handled (the wire's teardown is not immediate).
  let cut = false;
  const refuse = (reason: CutOffReason): void => {
    if (!cut) cutOff(reason);
    cut = true;
  };

  wire._onMessageLength = function (this: ProtocolWire, buffer) {
    if (cut) return;
    if (readLength(buffer) > limits.maxMessageBytes) {
      refuse('sent a malformed message');
      return;
    }
    _onMessageLength.call(this, buffer);
  };

  wire._onRequest = function (this: ProtocolWire, index, offset, length) {
    if (cut) return;
    chokedRequests = this.amChoking ? chokedRequests + 1 : 0;
    const queued = this.amChoking ? chokedRequests : this.peerRequests.length + 1;
    const verdict = judgeRequest({ index, offset, length }, torrent(), queued, limits);
    if (verdict) {
      refuse(verdict);
      return;
    }
    _onRequest.call(this, index, offset, length);
  };

  wire._onPiece = function (this: ProtocolWire, index, offset, buffer) {
    if (cut) return;
    const asked = this.requests.some(
      (r) => r.piece === index && r.offset === offset && r.length === buffer.length,
    );
    if (!asked) {
      unrequestedBytes += buffer.length;
      if (unrequestedBytes > limits.maxUnrequestedBytes) {
        refuse('sent data we never asked for');
        return;
      }
    }
    _onPiece.call(this, index, offset, buffer);
  };
}
