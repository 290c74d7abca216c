// create-torrent (6.x), as scripts/demo.ts calls it in Node.
declare module 'create-torrent' {
  export default function createTorrent(
    input: string,
    opts: {
      name?: string;
      announceList?: string[][];
      createdBy?: string;
      private?: boolean;
      urlList?: string[];
    },
    cb: (err: Error | null, torrent: Uint8Array) => void,
  ): void;
}
