import { expect } from '@open-wc/testing';
import { WebTorrentShapeError, checkShape } from '../../src/engine/swarm/shape.ts';
import { tune } from '../../src/engine/swarm/tune.ts';
import { withReadyTorrent } from './support/ready-torrent.ts';

describe('the webtorrent members the engine tunes', () => {
  it('are all on a ready torrent of the pinned webtorrent', async () => {
    await withReadyTorrent(4, (wt) => {
      expect(() => {
        checkShape(wt);
      }).not.to.throw();
    });
  });

  it('a release without one fails loudly, naming it', async () => {
    await withReadyTorrent(4, (wt) => {
      // The torrent as a release without `member` would be (own or inherited).
      const without = (member: string, of: object = wt): object =>
        new Proxy(of, {
          get: (target, key) =>
            key === member ? undefined : (Reflect.get(target, key) as unknown),
          has: (target, key) => key !== member && Reflect.has(target, key),
        });
      for (const member of ['_selections', '_updateWire', '_hasStartupBitfield', '_rarityMap']) {
        expect(() => {
          checkShape(without(member));
        }, member)
          .to.throw(WebTorrentShapeError)
          .with.property('message')
          .that.contains(member);
      }
      const renamed = new Proxy(wt, {
        get: (target, key) =>
          key === '_rarityMap'
            ? { _numPieces: 4, _pieces: [], _torrent: {} }
            : (Reflect.get(target, key) as unknown),
      });
      expect(() => {
        checkShape(renamed);
      }).to.throw(/_rarityMap\.getRarestPiece/);
      // A piece that no longer says how many of its blocks were handed out.
      const oldPieces = new Proxy(wt, {
        get: (target, key) =>
          key === 'pieces'
            ? [{ _chunks: 1, _cancellations: null }]
            : (Reflect.get(target, key) as unknown),
      });
      expect(() => {
        checkShape(oldPieces);
      }).to.throw(/pieces\[i\]\._reservations/);
    });
  });

  it('tune refuses a torrent whose webtorrent lacks a member it patches, naming it', async () => {
    await withReadyTorrent(4, (wt) => {
      const hooks = { emptyStore: () => false, failed: () => undefined };
      for (const member of ['_updateWire', '_selections', '_critical', '_updateWireWrapper']) {
        const without = new Proxy(wt, {
          get: (target, key) =>
            key === member ? undefined : (Reflect.get(target, key) as unknown),
          has: (target, key) => key !== member && Reflect.has(target, key),
        });
        expect(() => {
          tune(without, hooks);
        }, member)
          .to.throw(WebTorrentShapeError)
          .with.property('message')
          .that.contains(member);
      }
    });
  });
});
