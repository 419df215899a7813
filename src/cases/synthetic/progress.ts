// Progress of a long load on standard error, as plain text: on a terminal one
// line rewritten in place; otherwise (a log, a pipe) a new line every few
// seconds, so the output stays readable wherever it goes.

export interface ProgressOptions {
  readonly total: number;
  readonly label: string;
  /** Writes text as it is (no newline is added). */
  readonly write: (text: string) => void;
  readonly tty: boolean;
  /** How often a line is written when not on a terminal (default 5 s). */
  readonly everyMs?: number;
  readonly now?: () => number;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

const number = (n: number) => Math.round(n).toLocaleString('en-GB');

export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const percent = total ? Math.floor((done / total) * 100) : 100;
  const left = rate > 0 ? duration((total - done) / rate) : 'unknown';
  return `${label}: ${number(done)} of ${number(total)} (${percent}%), ${number(rate)} a second, ${done >= total ? `took ${duration(elapsedMs / 1000)}` : `about ${left} left`}`;
}

export function createProgress(options: ProgressOptions) {
  const now = options.now ?? (() => performance.now());
  const every = options.tty ? 250 : (options.everyMs ?? 5000);
  const started = now();
  let lastShown = started;
  let finished = false;
  return {
    /** Reports `done` so far; writes only when it is time to. */
    update(done: number): void {
      const at = now();
      // The last line is finish()'s to write.
      if (done >= options.total || at - lastShown < every) return;
      lastShown = at;
      const line = progressLine(options.label, done, options.total, at - started);
      options.write(options.tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    /** The last line, always written. */
    finish(done: number): void {
      if (finished) return;
      finished = true;
      const line = progressLine(options.label, done, options.total, now() - started);
      options.write(options.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}
