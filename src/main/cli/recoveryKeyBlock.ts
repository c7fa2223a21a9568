const GROUPS_PER_LINE = 5;

/**
 * The recovery key as shown once by `key add --recovery`: its 14 groups on three lines (5, 5, 4)
 * and what to do with it. Meant to be copied by hand or printed; core reads it back with or without
 * the dashes, spaces and line breaks.
 */
export function recoveryKeyBlock(recoveryKey: string, vaultId: string): string[] {
  const groups = recoveryKey.split('-');
  const lines: string[] = [];
  for (let start = 0; start < groups.length; start += GROUPS_PER_LINE) lines.push(`    ${groups.slice(start, start + GROUPS_PER_LINE).join('-')}`);
  return [
    `RECOVERY KEY for vault ${vaultId}`,
    '',
    ...lines,
    '',
    'Write it down or print it now: it is shown only this once, and it is not stored anywhere.',
    'Keep it apart from this laptop (not in its bag, not on its disk). Anyone who holds it can open',
    'the vault without a passphrase. Groups count 1 to 14, left to right, line by line.',
    'Then clear this terminal: its scrollback holds the key.',
  ];
}
