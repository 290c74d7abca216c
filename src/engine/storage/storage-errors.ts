/** How storage failures reach the rest of the engine: a full disk is one error, whatever said it. */

/** A write refused because this site's browser storage is full. */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
  constructor() {
    super('The browser storage for this site is full.');
  }
}

export const isStorageFull = (err: unknown): boolean =>
  err instanceof StorageFullError ||
  (err instanceof DOMException && err.name === 'QuotaExceededError');

export function toError(err: unknown): Error {
  if (isStorageFull(err)) return err instanceof StorageFullError ? err : new StorageFullError();
  return err instanceof Error ? err : new Error(String(err));
}
