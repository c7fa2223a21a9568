import { z } from 'zod';
import type { Channel, PageChannel } from './channels.js';
import {
  MediaListInputSchema, NoInputSchema, PassphraseInputSchema, RecordRefInputSchema,
  TestimonyCreateInputSchema, TestimonyGetInputSchema, TestimonyUpdateInputSchema, VocabularyListInputSchema,
} from './inputSchemas.js';
import {
  AuditReportSchema, MediaViewSchema, PersonViewSchema, TestimonyCreatedSchema, TestimonyDeletedSchema,
  TestimonyHistorySchema, TestimonySummarySchema, TestimonyUpdatedSchema, TestimonyViewSchema, VaultStatusSchema,
  VerifyReportSchema, VocabularyTermSchema,
} from './outputSchemas.js';
import { JobCancelledSchema, JobRefInputSchema, JobStatusSchema } from './jobSchemas.js';
import {
  AppSettingsPatchInputSchema, AppSettingsSchema, ChangePassphraseInputSchema, KeyAddInputSchema, MediaAttachInputSchema,
  MediaAttachDroppedInputSchema, MediaReadInputSchema, PersonInputSchema, PersonUpdateInputSchema, RecoveryKeyInputSchema, TestimonyPersonsInputSchema,
  VaultSettingsPatchInputSchema, VocabularyAddInputSchema,
} from './inputSchemas.js';
import {
  KeyAddedSchema, KeySlotViewSchema, MediaAttachStartedSchema, MediaBytesSchema, PersonCreatedSchema, PersonUpdatedSchema,
  RecoveryKeyCreatedSchema, VaultSettingsSchema,
} from './outputSchemas.js';
import { RESEARCH_CONTRACT } from './researchSchemas.js';
import type { IpcResult } from './result.js';

type ChannelSchemas = { readonly input: z.ZodType; readonly output: z.ZodType };

/**
 * The one IPC contract. The preload API, main's handler table and the renderer client all take
 * their types from here; `satisfies` makes a channel without both schemas fail to compile.
 */
export const CONTRACT = {
  'vault:status': { input: NoInputSchema, output: VaultStatusSchema },
  'vault:create': { input: PassphraseInputSchema, output: VaultStatusSchema },
  'vault:unlock': { input: PassphraseInputSchema, output: VaultStatusSchema },
  'vault:lock': { input: NoInputSchema, output: VaultStatusSchema },
  'vault:verify': { input: NoInputSchema, output: VerifyReportSchema },
  'testimony:list': { input: NoInputSchema, output: z.array(TestimonySummarySchema) },
  'testimony:get': { input: TestimonyGetInputSchema, output: TestimonyViewSchema },
  'testimony:create': { input: TestimonyCreateInputSchema, output: TestimonyCreatedSchema },
  'testimony:update': { input: TestimonyUpdateInputSchema, output: TestimonyUpdatedSchema },
  'testimony:delete': { input: RecordRefInputSchema, output: TestimonyDeletedSchema },
  'testimony:history': { input: RecordRefInputSchema, output: TestimonyHistorySchema },
  'person:list': { input: NoInputSchema, output: z.array(PersonViewSchema) },
  'vocabulary:list': { input: VocabularyListInputSchema, output: z.array(VocabularyTermSchema) },
  'media:list': { input: MediaListInputSchema, output: z.array(MediaViewSchema) },
  ...RESEARCH_CONTRACT,
  'audit:list': { input: NoInputSchema, output: AuditReportSchema },
  'job:status': { input: JobRefInputSchema, output: JobStatusSchema },
  'job:cancel': { input: JobRefInputSchema, output: JobCancelledSchema },
  'settings:get': { input: NoInputSchema, output: AppSettingsSchema },
  'settings:set': { input: AppSettingsPatchInputSchema, output: AppSettingsSchema },
  'vaultSettings:get': { input: NoInputSchema, output: VaultSettingsSchema },
  'vaultSettings:set': { input: VaultSettingsPatchInputSchema, output: VaultSettingsSchema },
  'vault:changePassphrase': { input: ChangePassphraseInputSchema, output: z.object({ changed: z.boolean() }) },
  'key:list': { input: NoInputSchema, output: z.array(KeySlotViewSchema) },
  'key:add': { input: KeyAddInputSchema, output: KeyAddedSchema },
  'key:recovery': { input: RecoveryKeyInputSchema, output: RecoveryKeyCreatedSchema },
  'person:create': { input: PersonInputSchema, output: PersonCreatedSchema },
  'person:update': { input: PersonUpdateInputSchema, output: PersonUpdatedSchema },
  'vocabulary:add': { input: VocabularyAddInputSchema, output: VocabularyTermSchema },
  'testimony:linkPersons': { input: TestimonyPersonsInputSchema, output: TestimonyUpdatedSchema.pick({ version: true }) },
  'media:attach': { input: MediaAttachInputSchema, output: MediaAttachStartedSchema },
  'media:read': { input: MediaReadInputSchema, output: MediaBytesSchema },
  'media:attachDropped': { input: MediaAttachDroppedInputSchema, output: MediaAttachStartedSchema },
} as const satisfies Record<Channel, ChannelSchemas>;

export type Contract = typeof CONTRACT;
/** What a caller passes (before parsing). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after parsing). */
export type ParsedChannelInput<C extends Channel> = z.output<Contract[C]['input']>;
/** What a handler may return (before the output schema strips it). */
export type ChannelOutputDraft<C extends Channel> = z.input<Contract[C]['output']>;
/** What the renderer receives. */
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

/** The object the preload exposes as `window.testimonyVault`: one function per page channel. */
export type TestimonyVaultApi = {
  readonly [C in PageChannel]: (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
};

/** The preload's second object, `window.testimonyVaultDrop`: dropped files, turned into paths by the preload. */
export type TestimonyVaultDropApi = {
  readonly attachDroppedFiles: (testimonyId: string, files: readonly File[]) => Promise<IpcResult<ChannelOutput<'media:attachDropped'>>>;
};
