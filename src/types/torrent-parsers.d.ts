// Typings for webtorrent's own parsers, so that our validation agrees with the engine.
declare module 'magnet-uri' {
  export interface MagnetData {
    infoHash?: string;
    name?: string | string[];
    announce?: string[];
    urlList?: string[];
    xt?: string | string[];
    dn?: string | string[];
  }
  export function decode(uri: string): MagnetData;
  export function encode(data: MagnetData): string;
  export default decode;
}

declare module 'parse-torrent' {
  export interface ParsedTorrent {
    infoHash: string;
    name: string;
    announce: string[];
    urlList: string[];
    length: number;
    pieceLength: number;
    pieces: string[];
    files: { path: string; name: string; length: number; offset: number }[];
  }
  export default function parseTorrent(torrentId: Uint8Array | string): Promise<ParsedTorrent>;
  export function toMagnetURI(parsed: Partial<ParsedTorrent>): string;
  /** Bencodes a torrent: its info dictionary as given, plus the outer fields named here. */
  export function toTorrentFile(parsed: {
    info: Record<string, unknown>;
    announce?: string[];
    urlList?: string[];
    createdBy?: string;
    created?: Date;
    comment?: string;
  }): Uint8Array;
}
