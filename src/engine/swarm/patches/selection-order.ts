/**
 * webtorrent's piece selections stay in priority order through its request rounds.
 *
 * Selections are sorted by priority when one is added, and a request round walks them in that
 * order. But once a selection has filled a peer's pipeline, webtorrent's `shufflePriority`
 * swaps it with the last selection of any non-zero priority, to share the peer among them:
 * a stream's window (priority 2, stream-steering.ts) went behind the streams' own selections
 * (priority 1, each from its read position to the end of its range), and the next round asked
 * for the pieces after an old read's position. In a traced seek of
 * `npm run bench -- --only stream`, the round right after the seek's window was set asked
 * for 43 blocks of the position the viewer had just left.
 *
 * Here such a swap stays among equals: a selection changes places only with the last one of
 * its own priority, so equal selections still take turns, and a higher one is never put
 * behind a lower one.
 */

/** webtorrent's Selections, as its request rounds use them. */
export interface SwappableSelections {
  readonly length: number;
  get(index: number): { readonly priority: number } | undefined;
  swap(i: number, j: number): void;
}

const kept = new WeakSet<SwappableSelections>();

/** Keeps `wt`'s selections in priority order (idempotent). */
export function keepPriorityOrder(wt: { readonly _selections: SwappableSelections }): void {
  const selections = wt._selections;
  if (kept.has(selections)) return;
  kept.add(selections);
  const swap = selections.swap.bind(selections);
  selections.swap = (i: number, j: number): void => {
    const priority = selections.get(i)?.priority;
    let last = i;
    for (let k = i + 1; k <= j && k < selections.length; k++) {
      if (selections.get(k)?.priority === priority) last = k;
    }
    if (last !== i) swap(i, last);
  };
}
