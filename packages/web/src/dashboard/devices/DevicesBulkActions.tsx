import { Alert, Button, Group, List, Select, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { retireReasons, wipeMethods } from '@cubby/core/enumerations';
import type { DeviceBulkAction, DeviceBulkResult } from '@cubby/protocol/api';
import { api, ApiError } from '../api.js';
import type { SelectionProps } from '../lists/list-def.js';
import { useSites } from '../lists/reference.js';
import { useDialogChange } from '../settings/settings-ui.js';
import { ChangeError, Dialog } from '../ui/Dialog.js';
import { StepFields } from './DeviceLifecycle.js';

type Action = DeviceBulkAction['action']['type'];
const actions: Action[] = ['move_campus', 'wipe', 'retire'];
/** The dialog's action, and once filled in, what is sent. */
type Chosen = { action: Action; body?: DeviceBulkAction };

/**
 * The device list's ticked rows, acted on together: move to a campus, record
 * a wipe, retire. The server changes all of them or none; a refusal lists
 * each device that cannot, with why, so the selection can be fixed and sent again.
 */
export function DevicesBulkActions({ rows, clear }: SelectionProps) {
  const { t } = useTranslation();
  const change = useDialogChange(
    (chosen: Chosen) => api<DeviceBulkResult>('/devices/bulk', { method: 'POST', body: chosen.body }),
    [['list']],
    clear,
  );
  return (
    <>
      {actions.map((action) => (
        <Button key={action} variant="default" onClick={() => change.open({ action })}>
          {t(`device.bulk.${action}`)}
        </Button>
      ))}
      {change.value !== null && <BulkDialog action={change.value.action} rows={rows} change={change} />}
    </>
  );
}

function BulkDialog({
  action,
  rows,
  change,
}: {
  action: Action;
  rows: SelectionProps['rows'];
  change: ReturnType<typeof useDialogChange<Chosen, DeviceBulkResult>>;
}) {
  const { t } = useTranslation();
  const sites = useSites();
  const [choice, setChoice] = useState<string | null>(
    action === 'wipe' ? wipeMethods[0] : action === 'retire' ? retireReasons[0] : null,
  );
  const [certificate, setCertificate] = useState('');
  const tagOf = new Map(rows.map((r) => [String(r.id), String(r.assetTag)]));
  const body = bodyOf(action, choice, certificate, [...tagOf.keys()]);
  return (
    <Dialog
      opened
      onClose={change.close}
      title={t('device.bulk.title', { action: t(`device.bulk.${action}`), count: rows.length })}
    >
      <Stack gap="sm">
        <RefusedDevices error={change.error} tagOf={tagOf} />
        {action === 'move_campus' && (
          <Select
            label={t('devices.campus')}
            data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={choice}
            onChange={setChoice}
          />
        )}
        <StepFields
          step={action}
          choice={choice}
          setChoice={setChoice}
          certificate={certificate}
          setCertificate={setCertificate}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={change.close}>
            {t('app.cancel')}
          </Button>
          <Button loading={change.pending} disabled={!body} onClick={() => body && change.submitWith({ action, body })}>
            {t('device.bulk.apply', { count: rows.length })}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

/** A bulk refusal names each device that cannot change; any other error is said as usual. */
function RefusedDevices({ error, tagOf }: { error: unknown; tagOf: Map<string, string> }) {
  const { t } = useTranslation();
  const refused = error instanceof ApiError && error.reason === 'bulk_refused' ? error.problem?.errors : undefined;
  if (!Array.isArray(refused)) return <ChangeError error={error} />;
  return (
    <Alert color="red" variant="light" role="alert" title={t('device.bulk.refused')}>
      <List size="sm">
        {(refused as { deviceId: string; reason: string | null; detail: string }[]).map((e) => (
          <List.Item key={e.deviceId}>
            {tagOf.get(e.deviceId) ?? e.deviceId}:{' '}
            {e.reason ? t(`device.errors.${e.reason}`, { defaultValue: e.detail }) : e.detail}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function bodyOf(action: Action, choice: string | null, certificate: string, deviceIds: string[]): DeviceBulkAction | null {
  if (!choice) return null;
  if (action === 'move_campus') return { deviceIds, action: { type: 'move_campus', siteId: choice } };
  if (action === 'wipe') return { deviceIds, action: { type: 'wipe', method: choice as (typeof wipeMethods)[number] } };
  const reason = choice as (typeof retireReasons)[number];
  return { deviceIds, action: { type: 'retire', reason, ...(certificate.trim() ? { certificateRef: certificate.trim() } : {}) } };
}
