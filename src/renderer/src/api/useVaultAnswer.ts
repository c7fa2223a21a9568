import { useCallback, useEffect, useState } from 'react';
import type { PageChannel } from '../../../shared/ipc/channels.js';
import type { ChannelInput, ChannelOutput } from '../../../shared/ipc/contract.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from './client';

/**
 * Asks main for `channel` whenever its input changes (compared by value) or `reload` is called
 * (after a change the screen made), keeping the latest answer; an answer that arrives after a newer
 * question, or after unmount, is dropped. A failed answer keeps the previous value.
 */
export function useVaultAnswer<C extends PageChannel>(
  channel: C,
  input: ChannelInput<C>,
  onFailure: (failure: IpcFailure) => void,
): { value: ChannelOutput<C> | null; failure: IpcFailure | null; reload: () => void } {
  const [value, setValue] = useState<ChannelOutput<C> | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [generation, setGeneration] = useState(0);
  // Channels without input take `undefined`, which JSON cannot carry.
  const inputKey = input === undefined ? undefined : JSON.stringify(input);
  useEffect(() => {
    let current = true;
    void callVault(channel, (inputKey === undefined ? undefined : JSON.parse(inputKey)) as ChannelInput<C>).then((answer) => {
      if (!current) return;
      if (answer.ok) {
        setValue(answer.value);
        setFailure(null);
      } else {
        setFailure(answer);
        onFailure(answer);
      }
    });
    return () => {
      current = false;
    };
  }, [channel, inputKey, onFailure, generation]);
  const reload = useCallback(() => setGeneration((count) => count + 1), []);
  return { value, failure, reload };
}
