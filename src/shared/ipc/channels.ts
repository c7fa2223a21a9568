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
  'audit:list',
] as const;

export type Channel = (typeof CHANNELS)[number];

const channelSet: ReadonlySet<string> = new Set(CHANNELS);

/** Own-list membership only: `__proto__`, `constructor` and friends are not channels. */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && channelSet.has(value);
}
