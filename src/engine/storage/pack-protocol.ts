/**
 * The messages between the page's pack client (pack-client.ts) and the worker that holds
 * every torrent's pack open (pack-worker.ts). Each request names the torrent by info-hash,
 * never by name (names are hostile input), and is answered once.
 */
import type { PackListing, PackPiece } from './pack.ts';
import type { TorrentFiles } from './torrent-bytes.ts';

/** A piece of a read of a torrent's files: its index, where it starts in the read, its length. */
export interface PieceInRead {
  readonly index: number;
  readonly at: number;
  readonly length: number;
}

export type PackRequest =
  | { readonly id: number; readonly op: 'open'; readonly key: string }
  | {
      readonly id: number;
      readonly op: 'write';
      readonly key: string;
      readonly pieces: readonly PackPiece[];
    }
  | {
      readonly id: number;
      readonly op: 'read';
      readonly key: string;
      readonly index: number;
      readonly offset: number;
      readonly length: number | null;
    }
  | {
      readonly id: number;
      readonly op: 'settle';
      readonly key: string;
      readonly good: readonly number[];
      readonly bad: readonly number[];
    }
  | {
      /** Bytes `[start, end)` of a seed's files, read in the worker. */
      readonly id: number;
      readonly op: 'readFiles';
      readonly key: string;
      readonly files: TorrentFiles;
      readonly start: number;
      readonly end: number;
    }
  | {
      /** Copies `pieces` of the seed's bytes `[start, end)` from its files into the pack. */
      readonly id: number;
      readonly op: 'copyFiles';
      readonly key: string;
      readonly files: TorrentFiles;
      readonly start: number;
      readonly end: number;
      readonly pieces: readonly PieceInRead[];
    }
  | { readonly id: number; readonly op: 'close' | 'remove'; readonly key: string };

export interface PackError {
  readonly name: string;
  readonly message: string;
}

export type PackAnswer =
  | { readonly id: number; readonly error: PackError }
  | { readonly id: number; readonly error: null; readonly listing: PackListing }
  | {
      readonly id: number;
      readonly error: null;
      /** A write: the pieces on disk (all of them unless `failed` says why not). */
      readonly written: readonly number[];
      readonly failed: PackError | null;
    }
  | { readonly id: number; readonly error: null; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly id: number; readonly error: null };

/** The worker's error as the page would have seen it (a quota error stays one). */
export function errorOf(error: PackError): Error {
  return new DOMException(error.message, error.name);
}

export function packErrorOf(err: unknown): PackError {
  return {
    name: err instanceof Error ? err.name : 'Error',
    message: err instanceof Error ? err.message : String(err),
  };
}

/** Where packs live in OPFS: `shoal-packs/<infoHash>/{data,index}`. */
export const PACK_DIR = 'shoal-packs';
/** The layout before packs: `shoal-pieces/<infoHash>/<piece index>`, a file per piece. */
export const LEGACY_DIR = 'shoal-pieces';
