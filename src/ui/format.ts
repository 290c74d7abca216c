import prettyBytes from 'pretty-bytes';

export const formatBytes = (bytes: number): string =>
  prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 });

export const formatRate = (bytesPerS: number): string =>
  bytesPerS < 1 ? '—' : `${prettyBytes(bytesPerS, { binary: true, maximumFractionDigits: 1 })}/s`;

export function formatEta(etaS: number | null): string {
  if (etaS === null) return '—';
  if (etaS < 60) return `${String(Math.max(etaS, 0))} s`;
  const minutes = Math.floor(etaS / 60);
  if (minutes < 60) return `${String(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${String(hours)} h ${String(minutes % 60)} min`;
  return `${String(Math.floor(hours / 24))} days`;
}

/** A count in the user's locale ("4,096"). */
export const formatCount = (n: number): string => n.toLocaleString();

export const formatPercent = (progress: number): string =>
  `${(Math.floor(progress * 1000) / 10).toFixed(progress >= 1 ? 0 : 1)}%`;

export const STATE_LABELS = {
  metadata: 'Fetching metadata',
  downloading: 'Downloading',
  seeding: 'Seeding',
  paused: 'Paused',
  error: 'Error',
} as const;
