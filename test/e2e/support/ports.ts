/** Ports the end-to-end tests use on loopback (overridable so two runs can share a machine). */
export const E2E_PORTS = {
  tracker: Number(process.env.E2E_TRACKER_PORT ?? 18000),
  app: Number(process.env.E2E_APP_PORT ?? 4173),
  static: Number(process.env.E2E_STATIC_PORT ?? 4180),
};

export const APP_ORIGIN = `http://localhost:${String(E2E_PORTS.app)}`;
export const STATIC_ORIGIN = `http://localhost:${String(E2E_PORTS.static)}`;
export const TRACKER_URL = `ws://localhost:${String(E2E_PORTS.tracker)}`;
