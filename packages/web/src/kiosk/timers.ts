import { useEffect, useRef, useState } from 'react';

/**
 * Counts down `seconds` of inactivity (no touch, click or key) and then calls
 * `onTimeout`. Returns the seconds left, so the screen can warn in time.
 */
export function useInactivity(enabled: boolean, seconds: number, onTimeout: () => void): number {
  const [left, setLeft] = useState(seconds);
  const latest = useRef(onTimeout);
  latest.current = onTimeout;
  useEffect(() => {
    if (!enabled) return;
    let deadline = Date.now() + seconds * 1000;
    const reset = (): void => {
      deadline = Date.now() + seconds * 1000;
      setLeft(seconds);
    };
    const tick = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) {
        clearInterval(tick);
        latest.current();
      }
    }, 250);
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const name of events) document.addEventListener(name, reset, true);
    reset();
    return () => {
      clearInterval(tick);
      for (const name of events) document.removeEventListener(name, reset, true);
    };
  }, [enabled, seconds]);
  return enabled ? left : seconds;
}

/** Seconds left of a plain countdown that starts when `enabled` turns true. */
export function useCountdown(enabled: boolean, seconds: number, onEnd: () => void): number {
  const [left, setLeft] = useState(seconds);
  const latest = useRef(onEnd);
  latest.current = onEnd;
  useEffect(() => {
    if (!enabled) return;
    const end = Date.now() + seconds * 1000;
    setLeft(seconds);
    const tick = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) {
        clearInterval(tick);
        latest.current();
      }
    }, 250);
    return () => clearInterval(tick);
  }, [enabled, seconds]);
  return left;
}
