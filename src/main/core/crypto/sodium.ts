import sodiumModule from 'libsodium-wrappers-sumo';

/** The one place libsodium is loaded. Everything else in crypto/ calls `sodium()` after `ensureSodium()`. */
let isReady = false;

export async function ensureSodium(): Promise<void> {
  if (isReady) return;
  await sodiumModule.ready;
  isReady = true;
}

export function sodium(): typeof sodiumModule {
  if (!isReady) throw new Error('crypto used before ensureSodium() finished');
  return sodiumModule;
}
