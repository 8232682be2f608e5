import type { CSSProperties } from 'react';
import { VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CompartmentReading } from './api.js';

/**
 * How many doors a row of the bank has. The agent reports numbers only, so
 * the map lays them out left to right, top to bottom, in a near-square grid
 * (a 12-door bank: 4 × 3), the way banks are numbered on their doors.
 */
export function lockerColumns(count: number): number {
  if (count <= 4) return Math.max(count, 1);
  if (count <= 16) return 4;
  if (count <= 30) return 5;
  return 6;
}

export function lockerPosition(numbers: readonly number[], target: number): { row: number; column: number } {
  const index = Math.max(0, numbers.indexOf(target));
  const columns = lockerColumns(numbers.length);
  return { row: Math.floor(index / columns) + 1, column: (index % columns) + 1 };
}

/** "5, 6 and 7" / "5, 6 y 7": door numbers as a list in the reader's language. */
export function doorList(language: string, doors: readonly number[]): string {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(doors.map(String));
}

/** The bank as a grid of doors, the open ones highlighted; one image to assistive technology. */
export function LockerMap({
  compartments,
  targets,
  stuck,
}: {
  compartments: CompartmentReading[];
  /** The open door, or the doors open together. */
  targets: readonly number[];
  stuck: number | null;
}) {
  const { t, i18n } = useTranslation();
  const numbers = compartments.map((c) => c.number).sort((a, b) => a - b);
  for (const target of targets) if (!numbers.includes(target)) numbers.push(target);
  const { row, column } = lockerPosition(numbers, targets[0] ?? 0);
  const label =
    targets.length > 1
      ? t('door.mapMany', { doors: doorList(i18n.language, targets) })
      : t('door.map', { n: targets[0], row, column });
  return (
    <div
      className="locker-map"
      role="img"
      aria-label={label}
      style={
        {
          gridTemplateColumns: `repeat(${lockerColumns(numbers.length)}, 1fr)`,
          // Portrait sizes the rows to the height it has (kiosk.css).
          '--rows': Math.ceil(numbers.length / lockerColumns(numbers.length)),
        } as CSSProperties
      }
    >
      {numbers.map((n) => (
        <div
          key={n}
          className={`locker${targets.includes(n) ? ' locker-target' : ''}${n === stuck ? ' locker-stuck' : ''}`}
          aria-hidden="true"
        >
          <span className="locker-number">{n}</span>
          {targets.includes(n) && <span className="locker-label">{t('door.youAreHere')}</span>}
          {n === stuck && <span className="locker-label">✕</span>}
        </div>
      ))}
    </div>
  );
}

/** A door of the picker: what it is now, as a technician needs to know to pick it. */
export type PickerDoor = { number: number; state: 'free' | 'busy' | 'out_of_service' };

/**
 * The bank as a grid of doors to pick from (technician mode): each door a
 * button (keyboard and touch alike), laid out as the doors are numbered; a
 * door a visit holds cannot be picked, and says so.
 */
export function LockerPicker({
  doors,
  disabled,
  pickable,
  onPick,
}: {
  doors: PickerDoor[];
  disabled: boolean;
  /** Whether a door in this state may be picked here. */
  pickable: (door: PickerDoor) => boolean;
  onPick: (door: PickerDoor) => void;
}) {
  const { t } = useTranslation();
  const sorted = [...doors].sort((a, b) => a.number - b.number);
  const columns = lockerColumns(sorted.length);
  return (
    <div
      className="locker-map locker-picker"
      role="group"
      aria-label={t('tech.pickLocker')}
      style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, '--rows': Math.ceil(sorted.length / columns) } as CSSProperties}
    >
      {sorted.map((door) => (
        <button
          key={door.number}
          type="button"
          className={`locker locker-pick locker-${door.state}`}
          disabled={disabled || !pickable(door)}
          onClick={() => onPick(door)}
        >
          {/* Named "Locker 3", "Locker 3 Out of service": the visible words are the name's own. */}
          <VisuallyHidden>{t('tech.lockerWord')} </VisuallyHidden>
          <span className="locker-number">{door.number}</span>
          {door.state !== 'free' && (
            <span className="locker-label">{door.state === 'busy' ? t('tech.busyMark') : t('tech.outOfServiceMark')}</span>
          )}
        </button>
      ))}
    </div>
  );
}
