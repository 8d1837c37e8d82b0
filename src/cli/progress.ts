/** How far a job has got: the counters of the API's Job. */
export interface ProgressCounts {
  total: number;
  done: number;
  failed: number;
}

export interface ProgressRenderer {
  /** Shows the latest counters (on a terminal redrawn in place, otherwise throttled lines). */
  update(counts: ProgressCounts): void;
  /** Shows the final counters and ends the line. */
  finish(counts: ProgressCounts): void;
}

const BAR_WIDTH = 10;

/** `[#####-----] 3/5 created, 0 failed`: the bar fills with settled (created or failed) items. */
export function progressBar(c: ProgressCounts, verb = 'created'): string {
  const settled = c.done + c.failed;
  const filled =
    c.total <= 0 ? BAR_WIDTH : Math.min(BAR_WIDTH, Math.floor((settled / c.total) * BAR_WIDTH));
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${c.done}/${c.total} ${verb}, ${c.failed} failed`;
}

/** `progress 3/5` (settled of total), with the failures when there are any. */
export function progressLine(c: ProgressCounts): string {
  const failed = c.failed > 0 ? `, ${c.failed} failed` : '';
  return `progress ${c.done + c.failed}/${c.total}${failed}`;
}

/**
 * On a terminal, a single line redrawn with `\r`; elsewhere (a pipe, a log file) a plain line
 * whenever progress changed, at most once per `intervalMs`, and always a final one.
 */
export function progressRenderer(
  write: (text: string) => void,
  opts: { tty: boolean; intervalMs?: number; now?: () => number; verb?: string },
): ProgressRenderer {
  const now = opts.now ?? Date.now;
  const intervalMs = opts.intervalMs ?? 1000;
  let shown = '';
  let shownAt = -Infinity;
  if (opts.tty) {
    const draw = (line: string, end: string) => {
      // Spaces over the rest of a longer previous line; no escape codes needed.
      const pad = ' '.repeat(Math.max(0, [...shown].length - [...line].length));
      write(`\r${line}${pad}${end}`);
      shown = line;
    };
    return {
      update(c) {
        const line = progressBar(c, opts.verb);
        if (line !== shown) draw(line, '');
      },
      finish(c) {
        draw(progressBar(c, opts.verb), '\n');
      },
    };
  }
  return {
    update(c) {
      const line = progressLine(c);
      if (line === shown || now() - shownAt < intervalMs) return;
      write(`${line}\n`);
      shown = line;
      shownAt = now();
    },
    finish(c) {
      const line = progressLine(c);
      if (line !== shown) write(`${line}\n`);
      shown = line;
    },
  };
}
