// Shared by the page and the service worker: it imports only the launch addresses, which
// import nothing.

export { SELECT_QUERY } from '../launch/launch-url.ts';

export interface SelectMessage {
  readonly type: 'shoal-select';
  readonly infoHash: string;
}

export const selectMessage = (infoHash: string): SelectMessage => ({
  type: 'shoal-select',
  infoHash,
});

export const isSelectMessage = (data: unknown): data is SelectMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as { type?: unknown }).type === 'shoal-select' &&
  typeof (data as { infoHash?: unknown }).infoHash === 'string';
