import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Device } from '@cubby/protocol/api';
import { api } from '../api.js';
import { useSites } from '../lists/reference.js';
import { useSession } from '../session.js';
import { useDialogChange } from '../settings/settings-ui.js';
import { blankDevice, DeviceFormDialog, deviceInputOf, type DeviceFormValue } from './DeviceForm.js';

/** The Devices list's "Add a device" (then its page), for devices:write. */
export function DevicesListActions() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const navigate = useNavigate();
  const sites = useSites();
  const add = useDialogChange(
    (f: DeviceFormValue) => api<Device>('/devices', { method: 'POST', body: deviceInputOf(f) }),
    [['list']],
    (device) => void navigate(`/devices/${encodeURIComponent(device.id)}`),
  );
  if (!can('devices:write')) return null;
  // Campus staff add to one of their campuses; with one campus, that one.
  const firstSite = me.siteIds !== null || sites.data?.items.length === 1 ? (sites.data?.items[0]?.id ?? '') : '';
  return (
    <>
      <Button onClick={() => add.open(blankDevice(firstSite))}>{t('device.add')}</Button>
      <DeviceFormDialog change={add} />
    </>
  );
}
