import { useEffect, useRef } from 'react';
import type { AppSettings } from '../../../shared/ipc/inputSchemas.js';

/** True when the key event is the chosen quick-lock chord (Ctrl, or ⌘ on macOS, plus L). */
export function isQuickLockChord(key: AppSettings['quickLockKey'], event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean {
  if (key === 'off' || event.altKey) return false;
  // `code` is the physical key, so the chord works with an Arabic keyboard layout too.
  const isL = event.code === 'KeyL' || event.key.toLowerCase() === 'l';
  const modifier = event.ctrlKey || event.metaKey;
  return isL && modifier && event.shiftKey === (key === 'ctrl+shift+l');
}

/** Locks on the quick-lock chord, wherever the focus is. */
export function useQuickLock(key: AppSettings['quickLockKey'], enabled: boolean, onLock: () => void): void {
  const callback = useRef(onLock);
  callback.current = onLock;
  useEffect(() => {
    if (!enabled || key === 'off') return undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isQuickLockChord(key, event)) return;
      event.preventDefault();
      callback.current();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [key, enabled]);
}
