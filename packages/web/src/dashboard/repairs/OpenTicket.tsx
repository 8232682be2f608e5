import { Button, NativeSelect, Select, Text, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { repairSymptoms } from '@cubby/core/enumerations';
import type { RepairSymptom } from '@cubby/core';
import type { Device, Page } from '@cubby/protocol/api';
import { api, queryString } from '../api.js';
import { useSession } from '../session.js';
import { FormDialog, useDialogChange } from '../settings/settings-ui.js';

interface Form {
  deviceId: string | null;
  symptom: RepairSymptom;
  notes: string;
}

/** "Open a ticket" (repairs:write): a device brought to the IT office, by asset tag, with its symptom and notes. */
export function OpenTicket() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const change = useDialogChange(
    (form: Form) =>
      api<{ id: string }>('/repairs', {
        method: 'POST',
        body: { deviceId: form.deviceId, symptom: form.symptom, notes: form.notes.trim() },
      }),
    [['repairs'], ['list', 'repair-tickets']],
    (ticket) => void navigate(`/repairs/${encodeURIComponent(ticket.id)}`),
  );
  const [missing, setMissing] = useState(false);
  if (!can('repairs:write')) return null;
  const form = change.value;
  return (
    <>
      <Button onClick={() => (setMissing(false), change.open({ deviceId: null, symptom: 'screen', notes: '' }))}>
        {t('repairDesk.open.button')}
      </Button>
      {form && (
        <FormDialog
          title={t('repairDesk.open.title')}
          submitLabel={t('repairDesk.open.submit')}
          change={change}
          onSubmit={() => (form.deviceId ? change.submit() : setMissing(true))}
        >
          <Text c="gray.7" fz="sm">
            {t('repairDesk.open.intro')}
          </Text>
          <DevicePicker
            value={form.deviceId}
            error={missing && !form.deviceId ? t('repairDesk.open.pickDevice') : undefined}
            onChange={(deviceId) => change.setValue({ ...form, deviceId })}
          />
          <NativeSelect
            label={t('repairDesk.open.symptom')}
            value={form.symptom}
            onChange={(e) => change.setValue({ ...form, symptom: e.currentTarget.value as RepairSymptom })}
            data={repairSymptoms.map((s) => ({ value: s, label: t(`repairs.symptoms.${s}`) }))}
          />
          <Textarea
            label={t('repairDesk.open.notes')}
            value={form.notes}
            autosize
            minRows={3}
            maxLength={2000}
            onChange={(e) => change.setValue({ ...form, notes: e.currentTarget.value })}
          />
        </FormDialog>
      )}
    </>
  );
}

/** A device by its asset tag, searched on the server as it is typed (GET /devices?q=). */
function DevicePicker({ value, error, onChange }: { value: string | null; error?: string; onChange(id: string | null): void }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q] = useDebouncedValue(typed.trim(), 200);
  const found = useQuery({
    queryKey: ['devices', 'pick', q],
    queryFn: () => api<Page<Device>>(`/devices${queryString({ q, limit: 20 })}`),
    enabled: q.length >= 2,
  });
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const options = (found.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.assetTag} · ${d.model}` }));
  if (picked && !options.some((o) => o.value === picked.value)) options.unshift(picked);
  return (
    <Select
      label={t('repairDesk.open.device')}
      description={t('repairDesk.open.deviceHint')}
      placeholder={t('repairDesk.open.devicePlaceholder')}
      searchable
      required
      data={options}
      value={value}
      searchValue={typed}
      onSearchChange={setTyped}
      filter={({ options: all }) => all}
      nothingFoundMessage={q.length >= 2 && !found.isPending ? t('repairDesk.open.noDevice') : undefined}
      onChange={(id, option) => {
        setPicked(option ?? null);
        onChange(id);
      }}
      error={error}
      comboboxProps={{ withinPortal: true }}
      data-device-picker
    />
  );
}
