import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridCompartment } from '@cubby/protocol/api';

/** One door of the bank: its number, state, and what it holds, in words (colour is never the only cue). */
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
  const status = t(`station.status.${c.status}`, { defaultValue: c.status });
  return (
    <button
      type="button"
      className={`door door-${c.status}${c.alert ? ' door-alert' : ''}`}
      aria-pressed={selected}
      data-number={c.number}
      data-status={c.status}
      style={style}
      onClick={onSelect}
    >
      <span className="door-number">{t('station.locker', { n: c.number })}</span>
      <span>{status}</span>
      {c.device && <span>{c.device.assetTag}</span>}
      {c.device?.batteryPercent != null && (
        <span>
          {t('station.battery', { percent: c.device.batteryPercent })}
          {c.charging ? ` · ${t('station.charging')}` : ''}
        </span>
      )}
      {c.door === 'open' && <span>{t('station.doorOpen')}</span>}
      {c.alert && <strong>{t('station.alert', { kind: t(`station.alertKinds.${c.alert}`, { defaultValue: c.alert }) })}</strong>}
    </button>
  );
}
