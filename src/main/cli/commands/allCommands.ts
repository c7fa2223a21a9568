import type { CommandSpec } from '../CommandSpec.js';
import { auditCommand } from './audit.js';
import { backupCommand } from './backup.js';
import { bundleOpenCommand } from './bundleOpen.js';
import { bundleVerifyCommand } from './bundleVerify.js';
import { exportCommand } from './export.js';
import { identityCommand } from './identity.js';
import { initCommand } from './init.js';
import { keygenCommand } from './keygen.js';
import { keyAddCommand } from './keyAdd.js';
import { keyListCommand } from './keyList.js';
import { keyRemoveCommand } from './keyRemove.js';
import { mergeCommand } from './merge.js';
import { mediaAddCommand } from './mediaAdd.js';
import { mediaGetCommand } from './mediaGet.js';
import { mediaListCommand } from './mediaList.js';
import { passwdCommand } from './passwd.js';
import { personAddCommand } from './personAdd.js';
import { personListCommand } from './personList.js';
import { personShowCommand } from './personShow.js';
import { recoverCommand } from './recover.js';
import { redactionDeleteCommand } from './redactionDelete.js';
import { redactionPreviewCommand } from './redactionPreview.js';
import { redactionSaveCommand } from './redactionSave.js';
import { redactionShowCommand } from './redactionShow.js';
import { redactionSuggestCommand } from './redactionSuggest.js';
import { restoreCommand } from './restore.js';
import { reindexCommand } from './reindex.js';
import { searchCommand } from './search.js';
import { settingsCommand } from './settings.js';
import { statsCommand } from './stats.js';
import { testimonyAddCommand } from './testimonyAdd.js';
import { testimonyDeleteCommand } from './testimonyDelete.js';
import { testimonyEditCommand } from './testimonyEdit.js';
import { testimonyHistoryCommand } from './testimonyHistory.js';
import { testimonyListCommand } from './testimonyList.js';
import { testimonyShowCommand } from './testimonyShow.js';
import { trustAddCommand } from './trustAdd.js';
import { trustListCommand } from './trustList.js';
import { trustRemoveCommand } from './trustRemove.js';
import { verifyCommand } from './verify.js';
import { vocabAddCommand } from './vocabAdd.js';
import { vocabListCommand } from './vocabList.js';

/** Every command, in the order `tvault --help` lists them. */
export const allCommands: readonly CommandSpec[] = [
  initCommand,
  testimonyAddCommand,
  testimonyShowCommand,
  testimonyListCommand,
  testimonyEditCommand,
  testimonyHistoryCommand,
  testimonyDeleteCommand,
  personAddCommand,
  personListCommand,
  personShowCommand,
  vocabListCommand,
  vocabAddCommand,
  mediaAddCommand,
  mediaListCommand,
  mediaGetCommand,
  searchCommand,
  statsCommand,
  reindexCommand,
  verifyCommand,
  auditCommand,
  passwdCommand,
  keyListCommand,
  keyAddCommand,
  keyRemoveCommand,
  recoverCommand,
  settingsCommand,
  backupCommand,
  restoreCommand,
  redactionSuggestCommand,
  redactionPreviewCommand,
  redactionSaveCommand,
  redactionShowCommand,
  redactionDeleteCommand,
  exportCommand,
  identityCommand,
  keygenCommand,
  bundleVerifyCommand,
  bundleOpenCommand,
  mergeCommand,
  trustAddCommand,
  trustListCommand,
  trustRemoveCommand,
];
