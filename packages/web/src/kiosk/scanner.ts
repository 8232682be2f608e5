import { useEffect, useRef } from 'react';

/**
 * Badge readers (keyboard wedge) and barcode scanners "type" their number
 * followed by Enter, a few milliseconds per key. A person typing is ten times
 * slower, so speed tells a scan from typing without stealing focus: the
 * listener sits on the document and leaves text fields alone.
 */
export interface ScanBuffer {
  chars: string;
  lastAt: number;
}

export interface ScanOptions {
  /** A longer pause between two keys starts over. */
  maxGapMs: number;
  minLength: number;
  maxLength: number;
}

export const defaultScanOptions: ScanOptions = { maxGapMs: 80, minLength: 4, maxLength: 64 };
export const emptyScan: ScanBuffer = { chars: '', lastAt: -Infinity };

export interface ScanStep {
  buffer: ScanBuffer;
  /** The finished scan, when this key was its Enter. */
  scan?: string;
  /** Swallow the key: the Enter of a scan must not also press the focused button. */
  swallow: boolean;
}

const scanChar = /^[0-9A-Za-z-]$/;
const ignoredKeys = new Set(['Shift', 'CapsLock']);

export function feedScanKey(buffer: ScanBuffer, key: string, at: number, options: ScanOptions = defaultScanOptions): ScanStep {
  const fresh = at - buffer.lastAt <= options.maxGapMs;
  if (scanChar.test(key)) {
    const chars = fresh ? buffer.chars + key : key;
    return { buffer: { chars: chars.slice(-options.maxLength), lastAt: at }, swallow: false };
  }
  if (ignoredKeys.has(key)) return { buffer, swallow: false };
  if (key === 'Enter' && fresh && buffer.chars.length >= options.minLength) {
    return { buffer: emptyScan, scan: buffer.chars, swallow: true };
  }
  return { buffer: emptyScan, swallow: false };
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/**
 * On the idle screen a number typed by hand (and Enter) counts too: nothing
 * else there listens to keys, and it lets a demo or a kiosk with a keyboard
 * be used without a reader. Signed in, keys navigate, so only scans count.
 */
export const handTypedScanOptions: ScanOptions = { ...defaultScanOptions, maxGapMs: 2000 };

/** Calls `onScan` with each badge or barcode scanned while `enabled`. */
export function useScanner(enabled: boolean, onScan: (value: string) => void, options: ScanOptions = defaultScanOptions): void {
  const latest = useRef(onScan);
  latest.current = onScan;
  useEffect(() => {
    if (!enabled) return;
    let buffer = emptyScan;
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.altKey || event.metaKey || isTextField(event.target)) return;
      const step = feedScanKey(buffer, event.key, event.timeStamp, options);
      buffer = step.buffer;
      if (step.swallow) {
        event.preventDefault();
        event.stopPropagation();
      }
      if (step.scan) latest.current(step.scan);
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [enabled, options]);
}
