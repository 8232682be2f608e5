import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device, DeviceProfile, Page, Person } from '@cubby/protocol/api';
import { api, queryString } from '../api.js';
import { useSession } from '../session.js';
import { ConfirmDialog, useDialogChange, type DialogChange } from '../settings/settings-ui.js';
import { ChangeError, Dialog } from '../ui/Dialog.js';
import { deviceKey } from './DevicePage.js';
import { DeviceLifecycle } from './DeviceLifecycle.js';
import { deviceFormOf, DeviceFormDialog, deviceInputOf, type DeviceFormValue } from './DeviceForm.js';

/** Edit (devices:write); assign to a student or unassign (people:write). */
export function DeviceActions({ profile }: { profile: DeviceProfile }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { device } = profile;
  const url = `/devices/${encodeURIComponent(device.id)}`;
  const refresh = [deviceKey(device.id), ['list'], ['person']];
  const edit = useDialogChange((f: DeviceFormValue) => api<Device>(url, { method: 'PATCH', body: deviceInputOf(f) }), refresh);
  const assign = useDialogChange(
    (personId: string) => api<Device>(`${url}/owner`, { method: 'PUT', body: { personId } }),
    refresh,
  );
  const unassign = useDialogChange(() => api<Device>(`${url}/owner`, { method: 'DELETE' }), refresh);
  return (
    <Group gap="xs" data-device-actions>
      {can('devices:write') && (
        <Button variant="default" onClick={() => edit.open(deviceFormOf(device))}>
          {t('app.edit')}
        </Button>
      )}
      {can('devices:write') && <DeviceLifecycle device={device} refresh={refresh} />}
      {can('people:write') &&
        (device.ownerId ? (
          <Button variant="outline" color="red.9" onClick={() => unassign.open(true)}>
            {t('device.unassign')}
          </Button>
        ) : (
          <Button onClick={() => assign.open('')}>{t('device.assign')}</Button>
        ))}
      <DeviceFormDialog change={edit} />
      {assign.value !== null && <AssignDialog assetTag={device.assetTag} change={assign} />}
      {unassign.value !== null && (
        <ConfirmDialog
          title={t('device.unassignTitle', { assetTag: device.assetTag })}
          body={t('device.unassignBody')}
          confirmLabel={t('device.unassign')}
          change={unassign}
        />
      )}
    </Group>
  );
}

/** Find an active student by name or number, then assign with one button per match. */
function AssignDialog({ assetTag, change }: { assetTag: string; change: DialogChange<string> }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = typed.trim();
  const found = useQuery({
    queryKey: ['list', 'people', 'assign', q],
    queryFn: () => api<Page<Person>>(`/people${queryString({ role: 'student', active: true, q, limit: 8 })}`),
    enabled: q.length >= 2,
  });
  const pick = (id: string) => change.submitWith(id);
  return (
    <Dialog opened onClose={change.close} title={t('device.assignTitle', { assetTag })}>
      <Stack gap="sm">
        <Text>{t('device.assignBody')}</Text>
        <ChangeError error={change.error} />
        <TextInput
          label={t('device.findStudent')}
          placeholder={t('device.findStudentHint')}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          data-autofocus
        />
        {found.data && found.data.items.length === 0 && <Text c="gray.7">{t('device.noStudents')}</Text>}
        {found.data?.items.map((p) => {
          const name = `${p.givenName} ${p.familyName}`;
          return (
            <Button
              key={p.id}
              variant="light"
              justify="space-between"
              loading={change.pending}
              onClick={() => pick(p.id)}
              data-student={name}
            >
              {t('device.assignTo', { name })} · {p.studentNumber}
            </Button>
          );
        })}
      </Stack>
    </Dialog>
  );
}
