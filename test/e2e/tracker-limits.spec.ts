// The tracker against hostile and numerous clients, as an operator runs it: its own process,
// real WebSocket clients on loopback. Whatever one client sends, the tracker stays up and
// goes on answering the honest ones; each limit is met where the operator set it.
import { expect, test } from '@playwright/test';
import {
  DEFAULT_LIMITS,
  limitVariable,
  limitsFrom,
  type TrackerLimits,
} from '../../tracker/limits.ts';
import {
  WireClient,
  announce,
  id,
  isAnswerTo,
  startTrackerChild,
  type Message,
} from './support/tracker-wire.ts';

const HASH = id('hash', 1);
const isFailure = (message: Message): boolean => typeof message['failure reason'] === 'string';

test('malformed and oversized messages are refused and the tracker goes on answering', async () => {
  const tracker = await startTrackerChild({ TRACKER_MAX_MESSAGE_BYTES: '16384' });
  const honest = await WireClient.open(tracker.url);
  const evil = await WireClient.open(tracker.url);
  try {
    honest.send(announce(HASH, id('honest', 1)));
    await honest.next(isAnswerTo(HASH));
    const base = announce(HASH, id('evil', 1));
    const malformed: (Message | string)[] = [
      'not json',
      'null',
      '5',
      '[]',
      '{"action":"connect"}',
      { ...base, info_hash: 'short' },
      { ...base, peer_id: 42 },
      { ...base, event: 'exploded' },
      { ...base, left: { $gt: 0 } },
      { ...base, offers: 'many' },
      // Stock bittorrent-tracker dereferences each offer when forwarding it to a peer of the
      // swarm: a null one threw outside its try and ended the process.
      { ...base, offers: [null] },
      { ...base, offers: [{ offer_id: 'x' }] },
      {
        ...base,
        offers: Array.from({ length: 51 }, () => ({
          offer: { type: 'offer', sdp: '' },
          offer_id: 'o',
        })),
      },
      { ...base, answer: { type: 'answer', sdp: 'v=0' } },
      { action: 'scrape' },
      { action: 'scrape', info_hash: Array.from({ length: 51 }, (_, i) => id('h', i)) },
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
    ];
    for (const message of malformed) {
      const from = evil.received.length;
      evil.send(message);
      const answer = await evil.next(isFailure, from);
      // Refused as webtorrent's client reads a refusal (an announce answer with a reason).
      expect(answer.action, JSON.stringify(message).slice(0, 80)).toBe('announce');
    }
    // The honest peer was never handed the broken offers.
    expect(honest.received.filter((message) => message.offer !== undefined)).toEqual([]);
    // One byte over the limit closes the socket: 1009, "message too big".
    evil.send(JSON.stringify({ ...base, pad: 'x'.repeat(16_384) }));
    expect(await evil.closed()).toBe(1009);
    // Through all of it, the process runs and an honest announce is answered.
    const from = honest.received.length;
    honest.send({ ...announce(HASH, id('honest', 1)), event: 'update' });
    await honest.next(isAnswerTo(HASH), from);
    expect(tracker.alive()).toBe(true);
  } finally {
    honest.close();
    evil.close();
    await tracker.stop();
  }
});

test('an offer flood is cut down and cut off while honest announces are answered', async () => {
  const tracker = await startTrackerChild();
  const peers = await Promise.all([1, 2].map(() => WireClient.open(tracker.url)));
  const flooder = await WireClient.open(tracker.url);
  try {
    for (const [i, peer] of peers.entries()) {
      peer.send(announce(HASH, id('honest', i)));
      await peer.next(isAnswerTo(HASH));
    }
    // 2,000 announces of 10 offers each, as fast as the socket takes them.
    const startedMs = Date.now();
    const flood = announce(HASH, id('flood', 1), 10);
    for (let i = 0; i < 2000; i++) flooder.send(flood);
    // While it runs, a newcomer's announce is answered.
    const newcomer = await WireClient.open(tracker.url);
    newcomer.send(announce(HASH, id('honest', 3), 2));
    await newcomer.next(isAnswerTo(HASH));
    // The flooder was told to slow down, and, keeping on, was cut off (1008, policy).
    expect(await flooder.closed()).toBe(1008);
    const elapsedS = (Date.now() - startedMs) / 1000;
    expect(flooder.received.some((m) => /slow down/.test(String(m['failure reason'])))).toBe(true);
    // Of its 20,000 offers, the honest peers were handed at most its budget: a burst of 100,
    // then 5 a second (each announce's 10 offers reach the 2 peers there are).
    const flooded = peers.reduce(
      (sum, peer) => sum + peer.received.filter((m) => m.peer_id === id('flood', 1)).length,
      0,
    );
    const budget = 100 + 5 * Math.ceil(elapsedS);
    console.log(
      `offer flood: 20000 offers sent, ${String(flooded)} forwarded (budget ${String(budget)})`,
    );
    expect(flooded).toBeLessThanOrEqual(budget);
    expect(tracker.alive()).toBe(true);
    newcomer.close();
  } finally {
    for (const peer of peers) peer.close();
    flooder.close();
    await tracker.stop();
  }
});

test('torrents past the bound are forgotten oldest first, idle sockets closed, sockets capped', async () => {
  const tracker = await startTrackerChild({
    TRACKER_MAX_TORRENTS: '10',
    TRACKER_IDLE_TIMEOUT_MS: '2000',
    TRACKER_MAX_SOCKETS: '5',
  });
  const clients: WireClient[] = [];
  try {
    const talker = await WireClient.open(tracker.url);
    clients.push(talker);
    for (let i = 1; i <= 15; i++) {
      talker.send(announce(id('hash', i), id('talker', 1)));
      await talker.next(isAnswerTo(id('hash', i)));
    }
    expect((await tracker.stats()).torrents).toBe(10);
    // A newcomer to the first torrent finds it forgotten (a swarm of one: itself); to the
    // last, it finds the talker there.
    const swarmSize = async (infoHash: string, peer: number): Promise<number> => {
      const client = await WireClient.open(tracker.url);
      clients.push(client);
      client.send(announce(infoHash, id('new', peer)));
      const answer = await client.next(isAnswerTo(infoHash));
      return Number(answer.complete) + Number(answer.incomplete);
    };
    expect(await swarmSize(id('hash', 1), 1)).toBe(1);
    expect(await swarmSize(id('hash', 15), 2)).toBe(2);
    // A silent client is closed after the idle timeout; the talker, announcing, is not.
    const silent = await WireClient.open(tracker.url);
    clients.push(silent);
    const talking = setInterval(() => {
      talker.send({ ...announce(id('hash', 15), id('talker', 1)), event: 'update' });
    }, 200);
    expect(await silent.closed()).toBe(1000);
    expect(talker.closeCode).toBe(null);
    clearInterval(talking);
    // Five sockets at most: the sixth is refused at the upgrade (503).
    while (clients.filter((c) => c.closeCode === null).length < 5)
      clients.push(await WireClient.open(tracker.url));
    await expect(WireClient.open(tracker.url)).rejects.toThrow(/refused: 503/);
    expect(tracker.alive()).toBe(true);
  } finally {
    for (const client of clients) client.close();
    await tracker.stop();
  }
});

test('one connection may be in a bounded number of torrents; another connection is not held to it', async () => {
  const tracker = await startTrackerChild({ TRACKER_MAX_TORRENTS_PER_SOCKET: '3' });
  const tab = await WireClient.open(tracker.url);
  const other = await WireClient.open(tracker.url);
  try {
    for (let i = 1; i <= 3; i++) {
      tab.send(announce(id('hash', i), id('tab', 1)));
      await tab.next(isAnswerTo(id('hash', i)));
    }
    tab.send(announce(id('hash', 4), id('tab', 1)));
    const refused = await tab.next((m) => m.info_hash === id('hash', 4));
    expect(refused['failure reason']).toMatch(/too many torrents on one connection: at most 3/);
    // Its own torrents are still served; another connection joins the fourth.
    const from = tab.received.length;
    tab.send({ ...announce(id('hash', 2), id('tab', 1)), event: 'update' });
    await tab.next(isAnswerTo(id('hash', 2)), from);
    other.send(announce(id('hash', 4), id('other', 1)));
    await other.next(isAnswerTo(id('hash', 4)));
  } finally {
    tab.close();
    other.close();
    await tracker.stop();
  }
});

test('1,000 concurrent clients are held and honest announces answered throughout', async () => {
  test.setTimeout(240_000);
  const tracker = await startTrackerChild();
  const honestHash = id('honest-hash', 0);
  const honest = await WireClient.open(tracker.url);
  const clients: WireClient[] = [];
  const honestAnnounce = async (): Promise<void> => {
    const from = honest.received.length;
    honest.send({ ...announce(honestHash, id('honest', 1)), event: 'update' });
    await honest.next(isAnswerTo(honestHash), from);
  };
  try {
    await honestAnnounce();
    const before = await tracker.stats();
    // In ten waves of 100 opened at once; each client announces to one of 50 torrents with an
    // offer, as a tab does, and waits for its answer. Between waves the honest client announces.
    for (let wave = 0; wave < 10; wave++) {
      const opened = await Promise.all(
        Array.from({ length: 100 }, () => WireClient.open(tracker.url)),
      );
      const answered = opened.map((client, k) => {
        const n = wave * 100 + k;
        client.send(announce(id('hash', n % 50), id('many', n), 1));
        return client.next(isAnswerTo(id('hash', n % 50)));
      });
      await Promise.all(answered);
      clients.push(...opened);
      await honestAnnounce();
    }
    const held = await tracker.stats();
    expect(held.sockets).toBe(1001);
    // 50 torrents × their 20 most recent announcers, and the honest one's torrent.
    expect(held.torrents).toBe(51);
    expect(held.peers).toBe(1001);
    const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
    console.log(
      `1,000 sockets: tracker RSS ${kib(before.rssBytes)} → ${kib(held.rssBytes)} KiB, ` +
        `heap ${kib(before.heapUsedBytes)} → ${kib(held.heapUsedBytes)} KiB; per socket ` +
        `${kib((held.rssBytes - before.rssBytes) / 1000)} KiB RSS, ` +
        `${kib((held.heapUsedBytes - before.heapUsedBytes) / 1000)} KiB heap`,
    );
    // All of them gone at once: the tracker lets go of every socket, and still answers.
    for (const client of clients) client.close();
    await expect.poll(async () => (await tracker.stats()).sockets).toBe(1);
    await honestAnnounce();
    expect(tracker.alive()).toBe(true);
  } finally {
    for (const client of clients) client.close();
    honest.close();
    await tracker.stop();
  }
});

test('each limit is a TRACKER_ variable; one that is not a positive number is told and ignored', () => {
  const { limits, ignored } = limitsFrom({
    TRACKER_MAX_SOCKETS: '2000',
    TRACKER_RECENT_PEERS: '30',
    TRACKER_IDLE_TIMEOUT_MS: 'soon',
    TRACKER_MESSAGES_PER_S: '-1',
  });
  expect(limits).toEqual({ ...DEFAULT_LIMITS, maxSockets: 2000, recentPeers: 30 });
  expect(ignored.sort()).toEqual(['TRACKER_IDLE_TIMEOUT_MS=soon', 'TRACKER_MESSAGES_PER_S=-1']);
  expect(
    Object.keys(DEFAULT_LIMITS).map((name) => limitVariable(name as keyof TrackerLimits)),
  ).toContain('TRACKER_MAX_MESSAGE_BYTES');
});
