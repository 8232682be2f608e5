import {
  Alert,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  PasswordInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { emailDeliveryFilters, emailLanguages } from '@cubby/core/enumerations';
import type { EmailDelivery, EmailDeliveryPage, EmailSettings, EmailTestResult } from '@cubby/protocol/api';
import { api, queryString } from '../api.js';
import { useZones } from '../lists/reference.js';
import { ChangeError } from '../ui/Dialog.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';
import { SettingsTable, useChange } from './settings-ui.js';

const queryKey = ['settings', 'email'];
const securities = ['starttls', 'tls', 'none'] as const;
type Filter = (typeof emailDeliveryFilters)[number];

/** Settings → Email (docs/notifications.md): the SMTP server, a test message, and the delivery log with resend. */
export function EmailSettingsPanel() {
  const settings = useQuery({ queryKey, queryFn: () => api<EmailSettings>('/email/settings') });
  return (
    <QueryState query={settings}>
      {(data) => (
        <Stack gap="xl" maw={960}>
          <SmtpForm initial={data} />
          {data.configured && <TestSend />}
          <DeliveryLog />
        </Stack>
      )}
    </QueryState>
  );
}

function SmtpForm({ initial }: { initial: EmailSettings }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({
    enabled: initial.configured ? initial.enabled : true,
    host: initial.host ?? '',
    port: initial.port,
    security: initial.security,
    username: initial.username ?? '',
    password: '',
    fromAddress: initial.fromAddress ?? '',
    replyTo: initial.replyTo ?? '',
    defaultLanguage: initial.defaultLanguage,
  });
  const [saved, setSaved] = useState(false);
  const save = useChange(
    () => {
      const { password, username, replyTo, ...rest } = draft;
      const body = { ...rest, username: username || null, replyTo: replyTo || null, ...(password ? { password } : {}) };
      return api<EmailSettings>('/email/settings', { method: 'PUT', body });
    },
    [queryKey],
    () => {
      setSaved(true);
      setDraft((d) => ({ ...d, password: '' }));
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
        <Text>{t('settings.email.intro')}</Text>
        <Text fw={600} data-email-status>
          {initial.configured ? t('settings.email.configured') : t('settings.email.notConfigured')}
        </Text>
        <ChangeError error={save.error} />
        <Switch
          label={t('settings.email.enabled')}
          checked={draft.enabled}
          onChange={(e) => set({ enabled: e.currentTarget.checked })}
          size="md"
        />
        <Group grow align="flex-start">
          <TextInput
            label={t('settings.email.host')}
            value={draft.host}
            onChange={(e) => set({ host: e.currentTarget.value })}
            required
            autoComplete="off"
          />
          <NumberInput
            label={t('settings.email.port')}
            value={draft.port}
            min={1}
            max={65535}
            allowDecimal={false}
            onChange={(v) => set({ port: Number(v) || 587 })}
            maw={140}
          />
        </Group>
        <NativeSelect
          label={t('settings.email.security')}
          value={draft.security}
          data={securities.map((s) => ({ value: s, label: t(`settings.email.securities.${s}`) }))}
          onChange={(e) => set({ security: e.currentTarget.value as (typeof securities)[number] })}
        />
        <TextInput
          label={t('settings.email.username')}
          value={draft.username}
          onChange={(e) => set({ username: e.currentTarget.value })}
          autoComplete="off"
        />
        <PasswordInput
          label={t('settings.email.password')}
          description={initial.passwordSet ? t('settings.email.passwordStored') : t('settings.email.passwordHint')}
          value={draft.password}
          onChange={(e) => set({ password: e.currentTarget.value })}
          autoComplete="new-password"
        />
        <TextInput
          label={t('settings.email.fromAddress')}
          type="email"
          value={draft.fromAddress}
          onChange={(e) => set({ fromAddress: e.currentTarget.value })}
          required
        />
        <TextInput
          label={t('settings.email.replyTo')}
          type="email"
          value={draft.replyTo}
          onChange={(e) => set({ replyTo: e.currentTarget.value })}
        />
        <NativeSelect
          label={t('settings.email.defaultLanguage')}
          value={draft.defaultLanguage}
          data={emailLanguages.map((l) => ({ value: l, label: t(`settings.email.languages.${l}`) }))}
          onChange={(e) => set({ defaultLanguage: e.currentTarget.value as (typeof emailLanguages)[number] })}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('app.save')}
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

function TestSend() {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const test = useChange(() => api<EmailTestResult>('/email/test', { method: 'POST', body: { to } }), []);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        test.mutate(undefined);
      }}
    >
      <Stack gap="sm" maw={620}>
        <Group align="flex-end">
          <TextInput
            label={t('settings.email.testTo')}
            type="email"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            required
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="default" loading={test.isPending}>
            {t('settings.email.test')}
          </Button>
        </Group>
        <div aria-live="polite">
          {test.data && (
            <Alert color={test.data.ok ? 'green' : 'red'} variant="light" data-test-result>
              {t(test.data.ok ? 'settings.email.testOk' : 'settings.email.testFailed', { detail: test.data.detail })}
            </Alert>
          )}
          {test.error ? <ChangeError error={test.error} /> : null}
        </div>
      </Stack>
    </form>
  );
}

const stateColour: Record<EmailDelivery['state'], string> = {
  queued: '#495057',
  running: '#495057',
  done: '#1b6e2f',
  failed: '#8a5300',
  dead: '#b02a2a',
};

function DeliveryLog() {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const [show, setShow] = useState<Filter>('all');
  const [limit, setLimit] = useState(50);
  const log = useQuery({
    queryKey: [...queryKey, 'deliveries', show, limit],
    queryFn: () => api<EmailDeliveryPage>(`/email/deliveries${queryString({ show, limit })}`),
  });
  const resend = useChange(
    (id: string) => api<EmailDelivery>(`/email/deliveries/${id}/resend`, { method: 'POST' }),
    [[...queryKey, 'deliveries']],
  );
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('settings.email.log')}
      </Title>
      <Text>{t('settings.email.logIntro')}</Text>
      <NativeSelect
        label={t('settings.email.show')}
        value={show}
        maw={260}
        data={emailDeliveryFilters.map((f) => ({ value: f, label: t(`settings.email.filters.${f}`) }))}
        onChange={(e) => setShow(e.currentTarget.value as Filter)}
      />
      <ChangeError error={resend.error} />
      {resend.data && (
        <Text role="status" c="#1b6e2f" fw={600}>
          {t('settings.email.resent')}
        </Text>
      )}
      <QueryState query={log}>
        {(page) => (
          <>
            <SettingsTable
              items={page.items}
              minWidth={760}
              empty={t('settings.email.noDeliveries')}
              columns={[
                t('settings.email.when'),
                t('settings.email.message'),
                t('settings.email.to'),
                t('settings.email.status'),
                t('settings.email.attempts'),
                '',
              ]}
              row={(d) => (
                <Table.Tr key={d.id} data-delivery={d.state}>
                  <Table.Td className="nowrap">{formatDateTime(i18n.language, d.createdAt, zones.district)}</Table.Td>
                  <Table.Td>{t(`settings.email.templates.${d.template}`)}</Table.Td>
                  <Table.Td>{d.to ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text span fw={600} c={stateColour[d.state]}>
                      {t(`settings.email.states.${d.state}`)}
                    </Text>
                    {d.lastError && (
                      <Text size="sm" c="#495057">
                        {d.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="nowrap">
                    {t('settings.email.attemptsOf', { attempts: d.attempts, max: d.maxAttempts })}
                  </Table.Td>
                  <Table.Td>
                    {(d.state === 'done' || d.state === 'dead') && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => resend.mutate(d.id)}
                        loading={resend.isPending && resend.variables === d.id}
                      >
                        {t('settings.email.resend')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              )}
            />
            {page.nextCursor && (
              <Button variant="subtle" onClick={() => setLimit((n) => n + 50)} w="fit-content">
                {t('settings.email.more')}
              </Button>
            )}
          </>
        )}
      </QueryState>
    </Stack>
  );
}
