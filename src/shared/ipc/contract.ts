import { z } from 'zod';
import type { Channel } from './channels.js';
import {
  MediaListInputSchema, NoInputSchema, PassphraseInputSchema, RecordRefInputSchema, SearchInputSchema,
  TestimonyCreateInputSchema, TestimonyGetInputSchema, TestimonyUpdateInputSchema, VocabularyListInputSchema,
} from './inputSchemas.js';
import {
  AuditReportSchema, MediaViewSchema, PersonViewSchema, SearchHitSchema, TestimonyCreatedSchema, TestimonyDeletedSchema,
  TestimonyHistorySchema, TestimonySummarySchema, TestimonyUpdatedSchema, TestimonyViewSchema, VaultStatusSchema,
  VerifyReportSchema, VocabularyTermSchema,
} from './outputSchemas.js';
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
  'search:query': { input: SearchInputSchema, output: z.array(SearchHitSchema) },
  'audit:list': { input: NoInputSchema, output: AuditReportSchema },
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

/** The object the preload exposes as `window.testimonyVault`: one function per channel. */
export type TestimonyVaultApi = {
  readonly [C in Channel]: (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
};
