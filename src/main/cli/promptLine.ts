import { StringDecoder } from 'node:string_decoder';
import { VaultError } from '../core/errors.js';
import { CliError } from './CliError.js';
import type { CliIo } from './CliIo.js';

/** A prompt needs a real terminal on stdin, because only a terminal can stop echoing. */
export function canPrompt(io: CliIo): boolean {
  return io.isTTY.stdin && typeof io.stdin.setRawMode === 'function';
}

/**
 * Reads one line from the terminal in raw mode. With `echo: false` nothing typed is ever written
 * back (not even asterisks, which would leak the length). The question goes to stderr so stdout
 * stays clean for `--json`. Ctrl-C cancels (raw mode turns it into a byte, not a signal).
 */
export function promptLine(io: CliIo, question: string, options: { echo: boolean }): Promise<string> {
  const stdin = io.stdin;
  const setRawMode = stdin.setRawMode?.bind(stdin);
  if (!canPrompt(io) || !setRawMode) return Promise.reject(new CliError('NO_PASSPHRASE', 'cannot prompt: stdin is not a terminal'));
  // Echo goes off before the question appears: whatever is typed after seeing it is never shown.
  setRawMode(true);
  io.stderr.write(question);
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let typed: string[] = [];
    let inEscape: 'no' | 'start' | 'csi' = 'no';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      io.signal?.removeEventListener('abort', onAbort);
      setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.join(''));
      typed = [];
    };
    const erase = (count: number): void => {
      if (options.echo && count > 0) io.stderr.write('\b \b'.repeat(count));
    };
    const onData = (chunk: Buffer | string): void => {
      const characters = [...(typeof chunk === 'string' ? chunk : decoder.write(chunk))];
      for (const [index, character] of characters.entries()) {
        // Skip escape sequences (arrow keys, bracketed paste markers): they are not part of a passphrase.
        if (inEscape === 'start') {
          inEscape = character === '[' ? 'csi' : 'no';
          continue;
        }
        if (inEscape === 'csi') {
          if (character >= '@' && character <= '~') inEscape = 'no';
          continue;
        }
        if (character === '\r' || character === '\n') {
          const rest = characters.slice(index + 1).join('');
          // A paste may hold the next answer too; keep it for the next prompt.
          if (rest.length > 0) stdin.unshift(Buffer.from(rest, 'utf8'));
          finish();
          return;
        }
        if (character === '\u0003') return finish(new VaultError('CANCELLED', 'cancelled'));
        if (character === '\u0004') {
          if (typed.length === 0) return finish(new CliError('NO_PASSPHRASE', 'no input (end of file at the prompt)'));
          continue;
        }
        if (character === '\u007f' || character === '\b') {
          if (typed.pop() !== undefined) erase(1);
          continue;
        }
        if (character === '\u0015') {
          erase(typed.length);
          typed = [];
          continue;
        }
        if (character === '\u001b') {
          inEscape = 'start';
          continue;
        }
        if (character < ' ') continue;
        typed.push(character);
        if (options.echo) io.stderr.write(character);
      }
    };
    const onEnd = (): void => finish(new CliError('NO_PASSPHRASE', 'no input (stdin closed at the prompt)'));
    const onError = (error: Error): void => finish(error);
    const onAbort = (): void => finish(new VaultError('CANCELLED', 'cancelled'));
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    io.signal?.addEventListener('abort', onAbort, { once: true });
    stdin.resume();
  });
}
