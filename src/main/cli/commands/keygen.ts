import { writeAgeIdentityFile } from '../../core/export/writeAgeIdentityFile.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { assertNewFile } from '../newOutput.js';
import { COMMON_HELP, COMMON_OPTIONS, parseCommandArgs } from '../parseCommandArgs.js';

export const keygenCommand = defineCommand({
  words: ['keygen'],
  summary: 'make an age identity for receiving bundles; prints its age1... recipient',
  usage: 'keygen --out key.txt',
  help: [
    '--out <file>             where to write the identity (mode 0600; never overwrites)',
    'Needs no vault: this is for the person who receives exports. Send the printed age1... line to',
    'the documenting organisation; keep key.txt secret (it opens every bundle made for you).',
    'The file is in the age-keygen format: `age -d -i key.txt` reads it.',
    ...COMMON_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values } = parseCommandArgs(context.spec, args, { ...COMMON_OPTIONS, out: { type: 'string' } }, { min: 0, max: 0 });
    if (values.out === undefined) throw new CliError('USAGE', '--out <file> is required (the identity is never printed)');
    const outFile = assertNewFile(values.out);
    let recipient: string;
    try {
      ({ recipient } = await writeAgeIdentityFile(outFile, context.platform.now()));
    } catch (error) {
      // Created by someone else between the check and the write: still never overwritten.
      if ((error as { code?: unknown }).code === 'EEXIST') throw new CliError('OUTPUT_EXISTS', `${outFile} already exists; choose a new file name`);
      throw error;
    }
    const { out } = context;
    out.result({ out: outFile, recipient }, () => {
      // Only the recipient on stdout, so `r=$(tvault keygen --out key.txt)` works.
      out.line(recipient);
      out.note(`wrote ${outFile} (keep it secret); send the age1... line above to whoever exports for you`);
    });
  },
});
