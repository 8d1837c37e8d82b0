/** How the console writes numbers, sizes and times, in the reader's own locale. */

const number = new Intl.NumberFormat();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export const formatNumber = (value: number): string => number.format(value);

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

export const formatTime = (iso: string): string => time.format(new Date(iso));

/** 1024 → "1 GB", 500 → "500 MB": quotas are whole megabytes. */
export function formatMegabytes(mb: number): string {
  if (mb >= 1024 && mb % 1024 === 0) return `${formatNumber(mb / 1024)} GB`;
  return `${formatNumber(mb)} MB`;
}

/** 135 → "2:15", for countdowns. */
export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatNumber(count)} ${count === 1 ? one : many}`;
