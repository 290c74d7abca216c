/**
 * One torrent's priority plan, made of what the stream steering wants (the playhead windows,
 * whether the rest is fetched, the strategy) and what peer assist adds (the next item's
 * prefetch, the random first piece), written whole through the port's one writer
 * (`SwarmTorrent.applyPriorities`) when either part changes: at once on an event, once at
 * the end of a tick (`batch`).
 */
import type { PieceRange } from '../policy/playhead-window.ts';
import { IDLE_PRIORITIES, type PriorityPlan, type SwarmTorrent } from '../swarm/port.ts';

/** What the steering asks for: its windows, the rest or not, the order. */
export interface SteeringPart {
  readonly window: readonly PieceRange[];
  readonly fillRest: boolean;
  readonly strategy: PriorityPlan['strategy'];
}

const sameRange = (a: PieceRange | null, b: PieceRange | null): boolean =>
  a === b || (a !== null && b !== null && a.from === b.from && a.to === b.to);

export class Priorities {
  private steering: SteeringPart = {
    window: IDLE_PRIORITIES.windows,
    fillRest: IDLE_PRIORITIES.fillRest,
    strategy: IDLE_PRIORITIES.strategy,
  };
  private prefetched: PieceRange | null = null;
  /** Inside `batch`: the critical pieces to write with the plan at its end (null: nothing). */
  private held: PieceRange[] | null = null;
  private batching = false;

  constructor(private readonly swarm: Pick<SwarmTorrent, 'applyPriorities'>) {}

  /** The steering's plan, and the pieces a player waits for now. */
  steer(part: SteeringPart, critical: readonly PieceRange[]): void {
    this.steering = part;
    this.write(critical);
  }

  /** The next item's pieces, fetched from peers ahead of the rest (null: none). */
  prefetch(range: PieceRange | null): void {
    if (sameRange(range, this.prefetched)) return;
    this.prefetched = range;
    this.write([]);
  }

  /** Pieces requested now, ahead of everything (the random first piece). */
  critical(range: PieceRange): void {
    this.write([range]);
  }

  /** Runs `parts`, which may each change a part, and writes the plan once at the end. */
  batch(parts: () => void): void {
    if (this.batching) {
      parts();
      return;
    }
    this.batching = true;
    try {
      parts();
    } finally {
      this.batching = false;
      const critical = this.held;
      this.held = null;
      if (critical) this.write(critical);
    }
  }

  private write(critical: readonly PieceRange[]): void {
    if (this.batching) {
      this.held = [...(this.held ?? []), ...critical];
      return;
    }
    const { window, fillRest, strategy } = this.steering;
    this.swarm.applyPriorities({
      windows: this.prefetched ? [...window, this.prefetched] : window,
      fillRest,
      critical,
      strategy,
    });
  }
}

const ofSwarm = new WeakMap<object, Priorities>();

/** The one Priorities of a live torrent. */
export function prioritiesOf(swarm: SwarmTorrent): Priorities {
  let priorities = ofSwarm.get(swarm);
  if (!priorities) {
    priorities = new Priorities(swarm);
    ofSwarm.set(swarm, priorities);
  }
  return priorities;
}
