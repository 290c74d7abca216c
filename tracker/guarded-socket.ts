// One client's WebSocket as bittorrent-tracker sees it: the socket it is given by its public
// `onWebSocketConnection(socket)`, which passes on only the messages that are well formed and
// within the connection's budgets. bittorrent-tracker uses a socket's `on`/`removeListener`
// for 'message', 'error' and 'close', `send(text, callback)`, and `upgradeReq` (its address):
// this class is exactly that, over a `ws` socket.
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { Budget } from './budget.ts';
import type { TrackerLimits } from './limits.ts';
import { checkMessage } from './message.ts';

/** Close codes a client sees (RFC 6455 §7.4): 1000 normal (idle), 1008 policy (abuse). */
const IDLE = 1000;
const POLICY = 1008;

const textOf = (data: WebSocket.RawData): string => {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
};

export class GuardedSocket extends EventEmitter {
  /** Read (and then dropped) by bittorrent-tracker's parser: the client's address. */
  upgradeReq: IncomingMessage | null;
  /** The torrents (hex info-hashes) bittorrent-tracker has this socket in: it keeps the list. */
  infoHashes: string[] | null = [];
  /** When the client last sent anything: a socket silent for too long is closed. */
  lastHeardMs: number;
  private readonly messages: Budget;
  private readonly signals: Budget;
  /** Messages dropped over budget since the last one that was within it. */
  private dropped = 0;

  constructor(
    private readonly ws: WebSocket,
    request: IncomingMessage,
    private readonly limits: TrackerLimits,
    nowMs: number,
  ) {
    super();
    this.upgradeReq = request;
    this.lastHeardMs = nowMs;
    this.messages = new Budget(limits.messageBurst, limits.messagesPerS, nowMs);
    this.signals = new Budget(limits.signalBurst, limits.signalsPerS, nowMs);
    ws.on('message', (data) => {
      this.onMessage(textOf(data), Date.now());
    });
    // Always listened for: an oversized frame, say, is an 'error' and then a 'close'; an
    // 'error' nobody listens for would end the process.
    ws.on('error', (err) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
    ws.on('close', () => {
      this.emit('close');
    });
  }

  /** Sends to the client, unless it has stopped reading: then it is closed instead. */
  send(text: string, callback?: (err?: Error) => void): void {
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(POLICY, 'not reading');
      callback?.(new Error('client is not reading'));
      return;
    }
    this.ws.send(text, callback);
  }

  close(code = IDLE, reason = 'idle'): void {
    this.ws.close(code, reason);
  }

  /** Ends the connection at once (the tracker is shutting down). */
  terminate(): void {
    this.ws.terminate();
  }

  private onMessage(text: string, nowMs: number): void {
    this.lastHeardMs = nowMs;
    // Every message costs, garbage included: answering a flood is itself work.
    if (!this.messages.spend(1, nowMs)) {
      this.dropped += 1;
      // Told once, then dropped silently; one that keeps on past a second burst is cut off.
      if (this.dropped === 1) this.refuse('too many messages: slow down');
      if (this.dropped > this.limits.messageBurst) this.close(POLICY, 'too many messages');
      return;
    }
    this.dropped = 0;
    const checked = checkMessage(text, this.limits);
    if (!checked.ok) {
      this.refuse(checked.reason, checked.infoHash);
      return;
    }
    if (checked.action === 'announce') {
      const infoHash = (JSON.parse(text) as { info_hash: string }).info_hash;
      if (checked.signals > 0 && !this.signals.spend(checked.signals, nowMs)) {
        this.refuse('too many offers: slow down', infoHash);
        return;
      }
      const joined = this.infoHashes ?? [];
      const hex = Buffer.from(infoHash, 'latin1').toString('hex');
      if (joined.length >= this.limits.maxTorrentsPerSocket && !joined.includes(hex)) {
        this.refuse(
          `too many torrents on one connection: at most ${String(this.limits.maxTorrentsPerSocket)}`,
          infoHash,
        );
        return;
      }
    }
    this.emit('message', text);
  }

  /**
   * A refusal as webtorrent's client reads one: an announce answer with a failure reason,
   * shown as a warning on the torrent it names (a client drops one with no `action`).
   */
  private refuse(reason: string, infoHash?: string): void {
    const answer = { action: 'announce', 'failure reason': reason, info_hash: infoHash };
    this.send(JSON.stringify(answer));
  }
}
