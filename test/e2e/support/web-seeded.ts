// A .torrent whose only source is a web seed (BEP 19 `url-list`): made in Node from a fixture,
// served by scripts/web-seed-server.ts. No peer needs to hold it, so it downloads where
// WebRTC is missing too.
import { writeFileSync } from 'node:fs';
import createTorrent from 'create-torrent';
import type { WebSeedServer } from '../../../scripts/web-seed-server.ts';
import type { Fixture } from './fixtures.ts';

/** Writes `<fixture>.torrent` naming `seed` as its web seed; returns its path. */
export function webSeededTorrent(fixture: Fixture, seed: WebSeedServer): Promise<string> {
  const path = `${fixture.path}.torrent`;
  return new Promise((resolve, reject) => {
    // No announce list: a test reaches nothing but loopback.
    createTorrent(fixture.path, { urlList: [seed.url(fixture.name)] }, (err, torrent) => {
      if (err) {
        reject(err);
        return;
      }
      writeFileSync(path, torrent);
      resolve(path);
    });
  });
}
