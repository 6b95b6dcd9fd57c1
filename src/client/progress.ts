/**
 * Progress on stderr (stdout stays for the result). On a terminal — or when forced with `--progress`
 * or SIGIL_FORCE_TTY=1 — one line redrawn in place: `[##########..........]  50.0%  label`.
 * Otherwise a plain line whenever the label or the percentage (in steps of `plainStep`) changes.
 */
export interface Progress {
  update(percent: number, label: string): void;
  /** Ends the bar's line (a terminal's cursor goes to the next line). */
  end(): void;
}

const BAR_WIDTH = 30;
const REDRAW_EVERY_MS = 100;

export function renderBar(percent: number): string {
  const clamped = Math.min(100, Math.max(0, percent));
  const filled = Math.round((clamped / 100) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${clamped.toFixed(1).padStart(5)}%`;
}

export function createProgress(options: { tty: boolean; plainStep?: number; stream?: NodeJS.WritableStream }): Progress {
  const stream = options.stream ?? process.stderr;
  const step = options.plainStep ?? 0;
  let last = '';
  if (options.tty) {
    let pending = '';
    let lastDrawn = 0;
    let drawn = false;
    const draw = (line: string) => {
      stream.write(`\r${line}\x1b[K`);
      last = line;
      lastDrawn = Date.now();
      drawn = true;
    };
    return {
      update(percent, label) {
        pending = `${renderBar(percent)}  ${label}`;
        // Redraws are throttled (a download reports every chunk), except at 100%; end() draws what was held back.
        if (pending !== last && (Date.now() - lastDrawn >= REDRAW_EVERY_MS || percent >= 100)) draw(pending);
      },
      end() {
        if (pending !== '' && pending !== last) draw(pending);
        if (drawn) stream.write('\n');
        drawn = false;
      },
    };
  }
  return {
    update(percent, label) {
      const shown = step > 0 ? Math.floor(percent / step) * step : percent;
      const line = `${shown.toFixed(step > 0 ? 0 : 1)}%  ${label}`;
      if (line === last) return;
      stream.write(`${line}\n`);
      last = line;
    },
    end() {},
  };
}
