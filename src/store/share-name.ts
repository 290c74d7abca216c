/** What a share of several files is called unless the user changes it (see seed-files.ts). */
export { shareNameOf } from '../engine/storage/seed-files.ts';
