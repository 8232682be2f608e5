import { Badge, Button, Group, NativeSelect, NumberInput, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useSites, useStations } from '../lists/reference.js';
import type { EnrollmentCode, Station } from '@cubby/protocol/api';
import { ChangeError } from '../ui/Dialog.js';
import { useZones } from '../lists/reference.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';
import {
  AddButton,
  ConfirmDialog,
  DangerRowButton,
  FormDialog,
  SecretDialog,
  SettingsTable,
  useChange,
  useDialogChange,
} from './settings-ui.js';

interface StationForm {
  siteId: string;
  name: string;
  columns: number;
  rows: number;
}

/** Stations: add one, give it a one-time enrollment code, revoke its credential. */
export function StationsSettings() {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const sites = useSites();
  const stations = useStations();
  const [code, setCode] = useState<{ name: string; siteId: string; code: string; expiresAt: number } | null>(null);
  const keys = [['settings', 'stations'], ['overview']];
  const create = useDialogChange(
    (f: StationForm) => api<Station>('/stations', { method: 'POST', body: { ...f, compartments: f.columns * f.rows } }),
    keys,
  );
  const { value: form, setValue: setForm } = create;
  const enroll = useChange(
    (station: Station) =>
      api<EnrollmentCode>(`/stations/${encodeURIComponent(station.id)}/enrollment-code`, {
        method: 'POST',
      }).then((answer) => ({
        ...answer,
        name: station.name,
        siteId: station.siteId,
      })),
    [],
    setCode,
  );
  const revoke = useDialogChange(
    (station: Station) => api(`/stations/${encodeURIComponent(station.id)}/revoke`, { method: 'POST' }),
    keys,
  );
  const siteName = (id: string) => sites.data?.items.find((s) => s.id === id)?.name ?? '—';
  return (
    <QueryState query={stations}>
      {(page) => (
        <>
          <AddButton
            onClick={() => create.open({ siteId: sites.data?.items[0]?.id ?? '', name: '', columns: 4, rows: 3 })}
            disabled={!sites.data?.items.length}
          >
            {t('settings.stations.add')}
          </AddButton>
          <ChangeError error={enroll.error} />
          <SettingsTable
            items={page.items}
            empty={t('settings.stations.none')}
            minWidth={640}
            columns={[
              t('settings.stations.name'),
              t('settings.stations.campus'),
              t('settings.stations.status'),
              t('settings.actions'),
            ]}
            row={(station) => (
              <Table.Tr key={station.id} data-station={station.name}>
                <Table.Th scope="row">{station.name}</Table.Th>
                <Table.Td>{siteName(station.siteId)}</Table.Td>
                <Table.Td>
                  <Badge color={station.connected ? '#1b6e2f' : 'red.9'} variant="filled">
                    {station.connected ? t('overview.online') : t('overview.offline')}
                  </Badge>
                  {!station.connected && station.lastSeenAt && (
                    <Text fz="xs" c="gray.7">
                      {t('overview.lastSeen', {
                        time: formatDateTime(i18n.language, station.lastSeenAt, zones.ofSite(station.siteId)),
                      })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      loading={enroll.isPending && enroll.variables?.id === station.id}
                      onClick={() => enroll.mutate(station)}
                    >
                      {t('settings.stations.enroll')}
                    </Button>
                    <DangerRowButton onClick={() => revoke.open(station)}>{t('settings.stations.revoke')}</DangerRowButton>
                  </Group>
                </Table.Td>
              </Table.Tr>
            )}
          />
          {form && (
            <FormDialog title={t('settings.stations.add')} submitLabel={t('app.create')} change={create}>
              <NativeSelect
                label={t('settings.stations.campus')}
                value={form.siteId}
                data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
                onChange={(e) => setForm({ ...form, siteId: e.currentTarget.value })}
              />
              <TextInput
                label={t('settings.stations.name')}
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                data-autofocus
              />
              <Group grow>
                <NumberInput
                  label={t('settings.stations.columns')}
                  min={1}
                  max={20}
                  value={form.columns}
                  onChange={(v) => setForm({ ...form, columns: Number(v) || 1 })}
                />
                <NumberInput
                  label={t('settings.stations.rows')}
                  min={1}
                  max={20}
                  value={form.rows}
                  onChange={(v) => setForm({ ...form, rows: Number(v) || 1 })}
                />
              </Group>
              <Text c="gray.7">
                {t('settings.stations.compartments')}: {form.columns * form.rows}
              </Text>
            </FormDialog>
          )}
          {code && (
            <SecretDialog
              title={t('settings.stations.codeTitle', { name: code.name })}
              body={t('settings.stations.codeBody')}
              secret={code.code}
              footer={t('settings.stations.codeExpires', {
                time: formatDateTime(i18n.language, code.expiresAt, zones.ofSite(code.siteId)),
              })}
              onClose={() => setCode(null)}
            />
          )}
          {revoke.value && (
            <ConfirmDialog
              title={t('settings.stations.revokeTitle', { name: revoke.value.name })}
              body={t('settings.stations.revokeBody')}
              confirmLabel={t('settings.stations.revoke')}
              change={revoke}
            />
          )}
        </>
      )}
    </QueryState>
  );
}
