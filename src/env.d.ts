/// <reference types="vite/client" />

/** Port of the tracker `npm start` runs beside the app (TRACKER_PORT at build time). */
declare const __SHOAL_LOCAL_TRACKER_PORT__: number;
