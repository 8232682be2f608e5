import { Checkbox, Stack, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useSites } from '../lists/reference.js';
import { tokenPermissions } from '@cubby/core/enumerations';
import type { ApiToken, CreatedApiToken } from '@cubby/protocol/api';
import { useZones } from '../lists/reference.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';
import {
  AddButton,
  ConfirmDialog,
  DangerRowButton,
  FormDialog,
  itemsOf,
  SecretDialog,
  SettingsTable,
  useDialogChange,
} from './settings-ui.js';

/** API tokens for integrations: created with some permissions, shown once, revocable. */
export function TokensSettings() {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const sites = useSites();
  const siteName = (id: string) => sites.data?.items.find((site) => site.id === id)?.name ?? id;
  const tokens = useQuery({
    queryKey: ['settings', 'tokens'],
    queryFn: () => api<{ items: ApiToken[] }>('/api-tokens'),
  });
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const create = useDialogChange(
    (f: { name: string; scopes: string[]; siteIds: string[] }) =>
      api<CreatedApiToken>('/api-tokens', {
        method: 'POST',
        body: { name: f.name, scopes: f.scopes, siteIds: f.siteIds.length > 0 ? f.siteIds : null },
      }).then((a) => ({
        name: f.name,
        token: a.token,
      })),
    [['settings', 'tokens']],
    setCreated,
  );
  const { value: form, setValue: setForm } = create;
  const revoke = useDialogChange(
    (token: ApiToken) => api(`/api-tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' }),
    [['settings', 'tokens']],
  );
  return (
    <QueryState query={tokens}>
      {(answer) => (
        <>
          <AddButton onClick={() => create.open({ name: '', scopes: ['fleet:read'], siteIds: [] })}>
            {t('settings.tokens.add')}
          </AddButton>
          <SettingsTable
            items={itemsOf(answer).filter((token) => !token.revokedAt)}
            empty={t('settings.tokens.none')}
            minWidth={760}
            columns={[
              t('settings.tokens.name'),
              t('settings.tokens.scopes'),
              t('settings.tokens.campuses'),
              t('settings.tokens.created'),
              t('settings.tokens.lastUsed'),
              t('settings.actions'),
            ]}
            row={(token) => (
              <Table.Tr key={token.id} data-token={token.name}>
                <Table.Th scope="row">{token.name}</Table.Th>
                <Table.Td>{token.scopes.map((s) => t(`permissions.${s}`, { defaultValue: s })).join(', ')}</Table.Td>
                <Table.Td>
                  {token.siteIds === null ? t('settings.tokens.allCampuses') : token.siteIds.map(siteName).join(', ')}
                </Table.Td>
                <Table.Td>{formatDateTime(i18n.language, token.createdAt, zones.district)}</Table.Td>
                <Table.Td>
                  {token.lastUsedAt
                    ? formatDateTime(i18n.language, token.lastUsedAt, zones.district)
                    : t('settings.tokens.never')}
                </Table.Td>
                <Table.Td>
                  <DangerRowButton onClick={() => revoke.open(token)}>{t('settings.tokens.revoke')}</DangerRowButton>
                </Table.Td>
              </Table.Tr>
            )}
          />
          {form && (
            <FormDialog title={t('settings.tokens.add')} submitLabel={t('app.create')} change={create}>
              <TextInput
                label={t('settings.tokens.name')}
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                data-autofocus
              />
              <Checkbox.Group
                label={t('settings.tokens.scopes')}
                value={form.scopes}
                onChange={(scopes) => setForm({ ...form, scopes })}
              >
                <Stack gap={6} mt={6}>
                  {tokenPermissions.map((p) => (
                    <Checkbox key={p} value={p} label={t(`permissions.${p}`)} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Checkbox.Group
                label={t('settings.tokens.campuses')}
                description={t('settings.tokens.campusesHint')}
                value={form.siteIds}
                onChange={(siteIds) => setForm({ ...form, siteIds })}
              >
                <Stack gap={6} mt={6}>
                  {(sites.data?.items ?? []).map((site) => (
                    <Checkbox key={site.id} value={site.id} label={site.name} />
                  ))}
                </Stack>
              </Checkbox.Group>
            </FormDialog>
          )}
          {created && (
            <SecretDialog
              title={t('settings.tokens.createdTitle', { name: created.name })}
              body={t('settings.tokens.createdBody')}
              secret={created.token}
              onClose={() => setCreated(null)}
            />
          )}
          {revoke.value && (
            <ConfirmDialog
              title={t('settings.tokens.revokeTitle', { name: revoke.value.name })}
              body={t('settings.tokens.revokeBody')}
              confirmLabel={t('settings.tokens.revoke')}
              change={revoke}
            />
          )}
        </>
      )}
    </QueryState>
  );
}
