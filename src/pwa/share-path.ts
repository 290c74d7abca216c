/** Where the manifest's share target POSTs shared files and text (answered by our worker). */
export const SHARE_TARGET_PATH = '/share-target';

// The app address the worker sends a share to (`/?share=<id>`) is one of the launch addresses.
export { SHARE_QUERY } from '../launch/launch-url.ts';
