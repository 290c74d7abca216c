// A neighbour's link as the overlay sees it (swarm/port.ts NeighbourLink), driven by a test.
import type { OverlayMessage } from '../../../src/engine/overlay/protocol.ts';
import type { NeighbourLink } from '../../../src/engine/swarm/port.ts';

export class FakeLink implements NeighbourLink {
  open = true;
  /** Its connection's byte counters (what `traffic` reads). */
  sentBytes = 0;
  receivedBytes = 0;
  closed = false;
  readonly sent: OverlayMessage[] = [];
  private listener: ((m: OverlayMessage) => void) | null = null;
  private closer: (() => void) | null = null;
  constructor(readonly remoteId: string) {}
  send(message: OverlayMessage): void {
    this.sent.push(message);
  }
  onMessage(cb: (m: OverlayMessage) => void): void {
    this.listener = cb;
  }
  onClose(cb: () => void): void {
    this.closer = cb;
  }
  traffic(): Promise<{ sentBytes: number; receivedBytes: number }> {
    return Promise.resolve({ sentBytes: this.sentBytes, receivedBytes: this.receivedBytes });
  }
  close(): void {
    this.open = false;
    this.closed = true;
    this.closer?.();
  }
  /** The neighbour sends us this. */
  deliver(message: OverlayMessage): void {
    this.listener?.(message);
  }
}
