/**
 * Every IPC channel, in one list with no dependencies, so the sandboxed preload can bundle it
 * without pulling in zod. `contract.ts` gives each one its schemas; a test keeps the two equal.
 */
export const CHANNELS = [
  'vault:status',
  'vault:create',
  'vault:unlock',
  'vault:lock',
  'vault:verify',
  'testimony:list',
  'testimony:get',
  'testimony:create',
  'testimony:update',
  'testimony:delete',
  'testimony:history',
  'person:list',
  'vocabulary:list',
  'media:list',
  'search:query',
  // Research and export (schemas in researchSchemas.ts)
  'search:ids',
  'search:open',
  'search:reindex',
  'search:analytics',
  'analytics:save',
  'export:review',
  'redaction:draft',
  'redaction:preview',
  'redaction:save',
  'redaction:span',
  'export:start',
  'bundle:open',
  'audit:list',
  'job:status',
  'job:cancel',
  // Settings, keys, persons, vocabulary and media (schemas in inputSchemas.ts / outputSchemas.ts)
  'settings:get',
  'settings:set',
  'vaultSettings:get',
  'vaultSettings:set',
  'vault:changePassphrase',
  'key:list',
  'key:add',
  'key:recovery',
  'person:create',
  'person:update',
  'vocabulary:add',
  'testimony:linkPersons',
  'media:attach',
  'media:read',
  // Preload only (see PRELOAD_ONLY_CHANNELS)
  'media:attachDropped',
] as const;

export type Channel = (typeof CHANNELS)[number];

/**
 * Channels the preload calls itself and never hands to the page: dropped files' paths come from
 * electron's webUtils in the preload, never from page script (main also asks the user to confirm).
 */
export const PRELOAD_ONLY_CHANNELS = ['media:attachDropped'] as const satisfies readonly Channel[];
export type PageChannel = Exclude<Channel, (typeof PRELOAD_ONLY_CHANNELS)[number]>;
const preloadOnly: ReadonlySet<string> = new Set(PRELOAD_ONLY_CHANNELS);
/** The channels `window.testimonyVault` offers, one function each. */
export const PAGE_CHANNELS: readonly PageChannel[] = CHANNELS.filter((channel): channel is PageChannel => !preloadOnly.has(channel));

const channelSet: ReadonlySet<string> = new Set(CHANNELS);

/** Own-list membership only: `__proto__`, `constructor` and friends are not channels. */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && channelSet.has(value);
}
