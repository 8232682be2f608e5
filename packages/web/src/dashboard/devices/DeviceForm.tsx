import { NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { devicePools } from '@cubby/core/enumerations';
import type { Device, DeviceInput } from '@cubby/protocol/api';
import { useSites } from '../lists/reference.js';
import { FormDialog, type DialogChange } from '../settings/settings-ui.js';

/** The form as typed; the warranty end as a date (YYYY-MM-DD). */
export interface DeviceFormValue {
  id: string | null;
  assetTag: string;
  serial: string;
  model: string;
  pool: Device['pool'];
  siteId: string;
  condition: string;
  warrantyEnd: string;
}

export const blankDevice = (siteId: string): DeviceFormValue => ({
  id: null,
  assetTag: '',
  serial: '',
  model: '',
  pool: 'loaner',
  siteId,
  condition: 'good',
  warrantyEnd: '',
});

export const deviceFormOf = (d: Device): DeviceFormValue => ({
  id: d.id,
  assetTag: d.assetTag,
  serial: d.serial ?? '',
  model: d.model,
  pool: d.pool,
  siteId: d.siteId ?? '',
  condition: d.condition,
  warrantyEnd: d.warrantyEnd === null ? '' : new Date(d.warrantyEnd).toISOString().slice(0, 10),
});

/** A warranty ends at the end of its day (UTC noon keeps the date the same in every US zone). */
export function deviceInputOf(f: DeviceFormValue): DeviceInput {
  return {
    assetTag: f.assetTag.trim(),
    serial: f.serial.trim() === '' ? null : f.serial.trim(),
    model: f.model.trim(),
    pool: f.pool,
    siteId: f.siteId === '' ? null : f.siteId,
    condition: f.condition.trim(),
    warrantyEnd: f.warrantyEnd === '' ? null : Date.parse(`${f.warrantyEnd}T12:00:00Z`),
  };
}

export function DeviceFormDialog({ change }: { change: DialogChange<DeviceFormValue> }) {
  const { t } = useTranslation();
  const sites = useSites();
  const form = change.value;
  if (!form) return null;
  const set = (patch: Partial<DeviceFormValue>) => change.setValue({ ...form, ...patch });
  return (
    <FormDialog
      title={form.id ? t('device.editTitle', { assetTag: form.assetTag }) : t('device.addTitle')}
      submitLabel={t('app.save')}
      change={change}
    >
      <TextInput
        label={t('devices.assetTag')}
        required
        maxLength={64}
        value={form.assetTag}
        onChange={(e) => set({ assetTag: e.currentTarget.value })}
      />
      <TextInput
        label={t('devices.serial')}
        maxLength={64}
        value={form.serial}
        onChange={(e) => set({ serial: e.currentTarget.value })}
      />
      <TextInput
        label={t('devices.model')}
        required
        maxLength={100}
        value={form.model}
        onChange={(e) => set({ model: e.currentTarget.value })}
      />
      <NativeSelect
        label={t('devices.pool')}
        value={form.pool}
        onChange={(e) => set({ pool: e.currentTarget.value as Device['pool'] })}
        data={devicePools.map((p) => ({ value: p, label: t(`devices.pools.${p}`) }))}
      />
      <NativeSelect
        label={t('device.homeCampus')}
        value={form.siteId}
        onChange={(e) => set({ siteId: e.currentTarget.value })}
        data={[
          { value: '', label: t('device.noCampus') },
          ...(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
        ]}
      />
      <TextInput
        label={t('devices.condition')}
        required
        maxLength={100}
        value={form.condition}
        onChange={(e) => set({ condition: e.currentTarget.value })}
      />
      <TextInput
        type="date"
        label={t('device.warrantyEnd')}
        value={form.warrantyEnd}
        onChange={(e) => set({ warrantyEnd: e.currentTarget.value })}
      />
    </FormDialog>
  );
}
