import type { ProgressListener } from '../core/platform.js';
import type { TextSink } from './CliIo.js';
import { oneLine } from './terminalText.js';

export type ProgressBar = { update: ProgressListener; finish(): void };

const WIDTH = 24;
const REDRAW_MS = 100;

function formatCount(value: number, unit: 'bytes' | 'items'): string {
  if (unit === 'items') return String(value);
  if (value < 1024) return `${value} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value / 1024;
  let index = 0;
  while (scaled >= 1024 && index < units.length - 1) {
    scaled /= 1024;
    index += 1;
  }
  return `${scaled.toFixed(1)} ${units[index]}`;
}

/**
 * A one-line bar on stderr, redrawn at most ten times a second. Disabled (a no-op) when stderr is
 * not a terminal or output is JSON, so logs and pipes never fill with carriage returns.
 */
export function createProgressBar(stream: TextSink, options: { enabled: boolean; label: string; unit: 'bytes' | 'items'; now?: () => number }): ProgressBar {
  if (!options.enabled) return { update: () => undefined, finish: () => undefined };
  const now = options.now ?? Date.now;
  const label = oneLine(options.label);
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update({ done, total, phase }) {
      const complete = total !== null && done >= total;
      if (!complete && now() - lastDraw < REDRAW_MS) return;
      lastDraw = now();
      const counts = total === null ? formatCount(done, options.unit) : `${formatCount(done, options.unit)}/${formatCount(total, options.unit)}`;
      let bar = '';
      if (total !== null && total > 0) {
        const fraction = Math.min(1, done / total);
        const filled = Math.round(fraction * WIDTH);
        bar = ` [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
      }
      // \r and "erase line" redraw in place.
      stream.write(`\r\u001b[2K${label} ${phase}${bar} ${counts}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\u001b[2K');
      drawn = false;
    },
  };
}

/**
 * A bar for work in phases with different units (a backup copies bytes, then verifies items):
 * each new phase clears the previous bar and starts its own.
 */
export function createPhasedProgressBar(stream: TextSink, options: { enabled: boolean; label: string; unitOf: (phase: string) => 'bytes' | 'items' }): ProgressBar {
  if (!options.enabled) return { update: () => undefined, finish: () => undefined };
  let current: { phase: string; bar: ProgressBar } | undefined;
  return {
    update(progress) {
      if (current?.phase !== progress.phase) {
        current?.bar.finish();
        current = { phase: progress.phase, bar: createProgressBar(stream, { enabled: true, label: options.label, unit: options.unitOf(progress.phase) }) };
      }
      current.bar.update(progress);
    },
    finish() {
      current?.bar.finish();
      current = undefined;
    },
  };
}

/**
 * Runs `work` with a bar on the command's stderr (only on a terminal and without --json), and
 * always finishes the bar, so an error message starts on a clean line.
 */
export async function withProgressBar<T>(
  context: { io: { stderr: TextSink; isTTY: { stderr: boolean } }; out: { json: boolean } },
  options: { label: string; unit: 'bytes' | 'items' },
  work: (onProgress: ProgressListener) => Promise<T>,
): Promise<T> {
  const bar = createProgressBar(context.io.stderr, { enabled: context.io.isTTY.stderr && !context.out.json, ...options });
  try {
    return await work(bar.update);
  } finally {
    bar.finish();
  }
}
