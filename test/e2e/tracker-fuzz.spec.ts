// Fuzzing the tracker's message handling: generated and mutated tracker messages (announces
// with offers, answers, scrapes, as webtorrent's client sends them) go to the real tracker
// process, each followed by a probe scrape on the same socket. Every message is handled or
// refused: the probe is answered (so the process has not crashed or hung), and everything
// the tracker sent back is a message webtorrent's client can read (it drops its socket on
// one with no announce or scrape action). The rate limits are lifted so every message counts.
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { fuzzParams, mutated } from '../unit/support/fuzz.ts';
import {
  WireClient,
  announce,
  id,
  startTrackerChild,
  type Message,
} from './support/tracker-wire.ts';

const PROBE_HASH = id('probe', 0);

/** A 20-character binary string, as the protocol carries info-hashes and peer ids. */
const binaryId = fc.oneof(
  fc.constantFrom(id('hash', 1), id('hash', 2), id('peer', 1), id('peer', 2)),
  fc.string({ unit: 'binary', minLength: 20, maxLength: 20 }),
);

const sdp = fc.record({ type: fc.constantFrom('offer', 'answer'), sdp: fc.string() });

/** Messages webtorrent's client sends, with generated fields. */
const validMessage: fc.Arbitrary<Message> = fc.oneof(
  fc
    .record({
      info_hash: binaryId,
      peer_id: binaryId,
      offers: fc.array(fc.record({ offer: sdp, offer_id: binaryId }), { maxLength: 10 }),
      event: fc.constantFrom('started', 'stopped', 'completed', 'update', 'paused', undefined),
      left: fc.oneof(fc.nat(), fc.constant(0)),
    })
    .map((fields) => ({ ...announce(fields.info_hash, fields.peer_id), ...fields })),
  fc
    .record({
      info_hash: binaryId,
      peer_id: binaryId,
      to_peer_id: binaryId,
      answer: sdp,
      offer_id: binaryId,
    })
    .map((fields) => ({ action: 'announce', ...fields })),
  fc.record({ action: fc.constant('scrape'), info_hash: fc.oneof(binaryId, fc.array(binaryId)) }),
);

/** A valid message with one field changed to any JSON value, removed, or added. */
const structurallyMutated = fc
  .tuple(validMessage, fc.nat(), fc.jsonValue(), fc.constantFrom('set', 'delete', 'add'))
  .map(([message, pick, value, how]) => {
    const keys = Object.keys(message);
    const key = keys[pick % keys.length] ?? 'action';
    const copy: Message = { ...message };
    if (how === 'delete') Reflect.deleteProperty(copy, key);
    else copy[how === 'add' ? `x${String(pick)}` : key] = value;
    return JSON.stringify(copy);
  });

const anyMessage = fc.oneof(
  validMessage.map((m) => JSON.stringify(m)),
  structurallyMutated,
  mutated(validMessage.map((m) => JSON.stringify(m))),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

test('every generated or mutated message is handled or refused, never crashing the tracker', async () => {
  test.setTimeout(0);
  const tracker = await startTrackerChild({
    TRACKER_MESSAGE_BURST: '1e12',
    TRACKER_SIGNAL_BURST: '1e12',
  });
  // Two peers in the fuzzed swarms, so offers and answers are forwarded, not just parsed.
  const peers = await Promise.all([1, 2].map(() => WireClient.open(tracker.url)));
  peers.forEach((peer, i) => {
    peer.send(announce(id('hash', i + 1), id('peer', i + 1)));
  });
  let fuzzer = await WireClient.open(tracker.url);
  let count = 0;
  try {
    await fc.assert(
      fc.asyncProperty(anyMessage, async (text) => {
        // A fresh socket when one was closed, and every 500 messages, so that none meets the
        // bound on torrents per connection and every message reaches the swarm logic.
        count += 1;
        if (fuzzer.closeCode !== null || count % 500 === 0) {
          fuzzer.close();
          fuzzer = await WireClient.open(tracker.url);
        }
        const from = fuzzer.received.length;
        const peersFrom = peers.map((peer) => peer.received.length);
        fuzzer.send(text);
        fuzzer.send({ action: 'scrape', info_hash: PROBE_HASH });
        await fuzzer.next((m) => m.action === 'scrape' && m.files !== undefined, from);
        const sent = [
          ...fuzzer.received.slice(from),
          ...peers.flatMap((peer, i) => peer.received.slice(peersFrom[i])),
        ];
        const unreadable = sent.filter((m) => m.action !== 'announce' && m.action !== 'scrape');
        expect(unreadable).toEqual([]);
      }),
      // A message the tracker never finishes with fails its run (and is shrunk) after 10 s.
      { ...fuzzParams(2000), timeout: 10_000 },
    );
    expect(tracker.alive()).toBe(true);
  } finally {
    fuzzer.close();
    for (const peer of peers) peer.close();
    await tracker.stop();
  }
});
