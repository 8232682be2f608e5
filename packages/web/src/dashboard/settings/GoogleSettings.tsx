import { Alert, Button, Group, NumberInput, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GoogleConnection, GoogleConnectionTest, GoogleSyncRun } from '@cubby/protocol/api';
import { api, ApiError } from '../api.js';
import { useZones } from '../lists/reference.js';
import { ChangeError } from '../ui/Dialog.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';
import { SettingsTable, useChange } from './settings-ui.js';
import { GoogleUnmatched } from './GoogleUnmatched.js';

const queryKey = ['settings', 'google'];

/** Settings → Google (docs/google.md): the connection, its test, a sync now, and the recent syncs. */
export function GoogleSettings() {
  const google = useQuery({ queryKey, queryFn: () => api<GoogleConnection>('/google') });
  return (
    <QueryState query={google}>
      {(data) => (
        <Stack gap="xl" maw={900}>
          <ConnectionForm initial={data} />
          {data.connected && <SyncPanel />}
          <SyncHistory runs={data.recentSyncs} />
          {data.recentSyncs[0]?.outcome === 'succeeded' && <GoogleUnmatched run={data.recentSyncs[0]} />}
        </Stack>
      )}
    </QueryState>
  );
}

function ConnectionForm({ initial }: { initial: GoogleConnection }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({ ...initial, serviceAccountKey: '' });
  const [saved, setSaved] = useState(false);
  const save = useChange(
    () => {
      const { serviceAccountKey, customerId, adminEmail, directoryUrl, telemetryUrl, telemetry, syncIntervalMinutes } = draft;
      const body = { customerId, adminEmail: adminEmail ?? '', directoryUrl, telemetryUrl, telemetry, syncIntervalMinutes };
      return api<GoogleConnection>('/google', { method: 'PUT', body: serviceAccountKey ? { ...body, serviceAccountKey } : body });
    },
    [queryKey],
    () => {
      setSaved(true);
      setDraft((d) => ({ ...d, serviceAccountKey: '' }));
    },
  );
  const set = (change: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...change }));
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        save.mutate(undefined);
      }}
    >
      <Stack gap="md" maw={620}>
        <Text>{t('settings.google.intro')}</Text>
        <Text fw={600} data-connection>
          {initial.connected ? t('settings.google.connected', { email: initial.clientEmail }) : t('settings.google.notConnected')}
        </Text>
        <ChangeError error={save.error} />
        <Textarea
          label={t('settings.google.key')}
          description={initial.connected ? t('settings.google.keyStored') : t('settings.google.keyHint')}
          autosize
          minRows={3}
          maxRows={6}
          spellCheck={false}
          autoComplete="off"
          value={draft.serviceAccountKey}
          onChange={(e) => set({ serviceAccountKey: e.currentTarget.value })}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        <TextInput
          label={t('settings.google.customerId')}
          description={t('settings.google.customerIdHint')}
          value={draft.customerId}
          onChange={(e) => set({ customerId: e.currentTarget.value })}
          required
        />
        <TextInput
          label={t('settings.google.adminEmail')}
          type="email"
          value={draft.adminEmail ?? ''}
          onChange={(e) => set({ adminEmail: e.currentTarget.value })}
          required
        />
        <Switch
          label={t('settings.google.telemetry')}
          checked={draft.telemetry}
          onChange={(e) => set({ telemetry: e.currentTarget.checked })}
          size="md"
        />
        <NumberInput
          label={t('settings.google.interval')}
          description={t('settings.google.intervalHint')}
          value={draft.syncIntervalMinutes}
          min={0}
          max={10080}
          allowDecimal={false}
          onChange={(v) => set({ syncIntervalMinutes: Number(v) || 0 })}
        />
        <Title order={3} size="h5">
          {t('settings.google.advanced')}
        </Title>
        <TextInput
          label={t('settings.google.directoryUrl')}
          value={draft.directoryUrl}
          onChange={(e) => set({ directoryUrl: e.currentTarget.value })}
        />
        <TextInput
          label={t('settings.google.telemetryUrl')}
          value={draft.telemetryUrl}
          onChange={(e) => set({ telemetryUrl: e.currentTarget.value })}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {initial.connected ? t('app.save') : t('settings.google.connect')}
          </Button>
          {saved && (
            <Text role="status" c="#1b6e2f" fw={600}>
              {t('app.saved')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Google's own words when it refused (a 502 problem's detail), else the dashboard's usual sentence. */
function googleDetail(error: unknown): string | null {
  return error instanceof ApiError && error.code === 'integration_failed' ? (error.detail ?? error.title) : null;
}

function SyncPanel() {
  const { t } = useTranslation();
  const test = useChange(() => api<GoogleConnectionTest>('/google/test', { method: 'POST' }), []);
  const sync = useChange(() => api<GoogleSyncRun>('/google/sync', { method: 'POST' }), [queryKey, ['devices']]);
  const queries = useQueryClient();
  // A failed run is recorded too: the history re-reads either way.
  const syncNow = () => sync.mutate(undefined, { onError: () => void queries.invalidateQueries({ queryKey }) });
  const failure = googleDetail(sync.error);
  return (
    <Stack gap="sm">
      <Group>
        <Button variant="default" onClick={() => test.mutate(undefined)} loading={test.isPending}>
          {t('settings.google.test')}
        </Button>
        <Button onClick={syncNow} loading={sync.isPending}>
          {t('settings.google.syncNow')}
        </Button>
      </Group>
      <div aria-live="polite">
        {test.data && (
          <Alert color={test.data.ok ? 'green' : 'red'} variant="light" data-test-result>
            {t(test.data.ok ? 'settings.google.testOk' : 'settings.google.testFailed', { detail: test.data.detail })}
          </Alert>
        )}
        {test.error ? <ChangeError error={test.error} /> : null}
        {sync.data && (
          <Alert color="green" variant="light" data-sync-result>
            {t('settings.google.synced', sync.data.counts)}
          </Alert>
        )}
        {failure ? (
          <Alert color="red" variant="light" role="alert" data-sync-result>
            {t('settings.google.failed', { detail: failure })}
          </Alert>
        ) : (
          <ChangeError error={sync.error} />
        )}
      </div>
    </Stack>
  );
}

function SyncHistory({ runs }: { runs: GoogleSyncRun[] }) {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('settings.google.history')}
      </Title>
      <SettingsTable
        items={runs}
        minWidth={640}
        empty={t('settings.google.noSyncs')}
        columns={[
          t('settings.google.when'),
          t('settings.google.trigger'),
          t('settings.google.outcome'),
          t('settings.google.summary'),
        ]}
        row={(run) => (
          <Table.Tr key={run.id} data-sync-run={run.outcome}>
            <Table.Td className="nowrap">{formatDateTime(i18n.language, run.startedAt, zones.district)}</Table.Td>
            <Table.Td>{t(`settings.google.triggers.${run.trigger}`)}</Table.Td>
            <Table.Td>
              <Text span fw={600} c={run.outcome === 'failed' ? '#b02a2a' : '#1b6e2f'}>
                {t(`settings.google.outcomes.${run.outcome}`)}
              </Text>
            </Table.Td>
            <Table.Td>{run.outcome === 'failed' ? run.error : t('settings.google.counts', run.counts)}</Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
