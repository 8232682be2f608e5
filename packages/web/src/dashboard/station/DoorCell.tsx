import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridCompartment } from '@cubby/protocol/api';
import { ContentIcon } from './content-icons.js';

/**
 * One door of the bank: its number, what it holds (icon, colour and words:
 * colour is never the only cue), the device and its charge.
 */
export function DoorCell({
  compartment: c,
  selected,
  onSelect,
  style,
}: {
  compartment: GridCompartment;
  selected: boolean;
  onSelect(): void;
  style: CSSProperties;
}) {
  const { t } = useTranslation();
  // A visit holding the door is said beside what it holds; a door that is open says so below.
  const visit = c.status === 'reserved' ? t('station.status.reserved') : null;
  return (
    <button
      type="button"
      className={`door door-${c.status} content-${c.content}${c.alert ? ' door-alert' : ''}`}
      aria-pressed={selected}
      data-number={c.number}
      data-status={c.status}
      data-content={c.content}
      style={style}
      onClick={onSelect}
    >
      <span className="door-number">{t('station.locker', { n: c.number })}</span>
      <span className="door-content">
        <ContentIcon content={c.content} />
        <span>{t(`station.contents.${c.content}`)}</span>
      </span>
      {c.device && <span>{c.device.assetTag}</span>}
      {c.device?.batteryPercent != null && (
        <span>
          {t('station.battery', { percent: c.device.batteryPercent })}
          {c.charging ? ` · ${t('station.charging')}` : ''}
        </span>
      )}
      {visit && <span>{visit}</span>}
      {c.door === 'open' && <span>{t('station.doorOpen')}</span>}
      {c.alert && <strong>{t('station.alert', { kind: t(`station.alertKinds.${c.alert}`, { defaultValue: c.alert }) })}</strong>}
    </button>
  );
}
