import type { CliIo } from './CliIo.js';
import { oneLine, terminalText } from './terminalText.js';

/** Writes a command's result: one JSON document with `--json`, human text otherwise. */
export class Output {
  private readonly warnings: Record<string, unknown> = {};

  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** The single result of a command. `human` runs only without `--json`. */
  result(document: Record<string, unknown>, human: () => void): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify({ ok: true, ...document, ...this.warnings }, null, 2)}\n`);
    else human();
  }

  /**
   * A warning about the vault rather than the command (failed unlock attempts): one line on stderr
   * now, in human mode; with `--json`, `field` joins whatever document the run ends with, success or error.
   */
  warning(field: string, value: unknown, text: string): void {
    this.warnings[field] = value;
    if (!this.json) this.io.stderr.write(`tvault: warning: ${oneLine(text)}\n`);
  }

  /** The fields that warnings added, for the error document. */
  get warningFields(): Readonly<Record<string, unknown>> {
    return this.warnings;
  }

  /** A line of human output on stdout; record text is made terminal-safe. */
  line(text = ''): void {
    this.io.stdout.write(`${terminalText(text)}\n`);
  }

  /** A remark for the person at the keyboard, on stderr, and only in human mode. */
  note(text: string): void {
    if (!this.json) this.io.stderr.write(`tvault: ${oneLine(text)}\n`);
  }

  /** Aligned columns; the last column is not padded (it holds titles and names of any length). */
  table(rows: readonly (readonly string[])[]): void {
    const cells = rows.map((row) => row.map(oneLine));
    const widths: number[] = [];
    for (const row of cells) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, [...cell].length)));
    for (const row of cells) {
      const padded = row.map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - [...cell].length)));
      this.io.stdout.write(`${padded.join('  ').trimEnd()}\n`);
    }
  }
}
