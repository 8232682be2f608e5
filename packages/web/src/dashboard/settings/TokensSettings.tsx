import { Button, Checkbox, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import type { ApiToken, Permission } from '../types.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';
import { ConfirmDialog, FormDialog, itemsOf, SecretDialog, useChange } from './settings-ui.js';

const grantable: Permission[] = ['fleet:read', 'people:read', 'audit:read', 'station:operate', 'repairs:write', 'sites:write', 'policy:write', 'users:write', 'tokens:write'];

/** API tokens for integrations: created with some permissions, shown once, revocable. */
export function TokensSettings() {
  const { t, i18n } = useTranslation();
  const tokens = useQuery({ queryKey: ['settings', 'tokens'], queryFn: () => api<{ items: ApiToken[] } | ApiToken[]>('/api-tokens') });
  const [form, setForm] = useState<{ name: string; scopes: string[] } | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const create = useChange(
    (f: { name: string; scopes: string[] }) => api<{ token: string }>('/api-tokens', { method: 'POST', body: { name: f.name, scopes: f.scopes } }).then((a) => ({ name: f.name, token: a.token })),
    [['settings', 'tokens']],
    (answer) => {
      setForm(null);
      setCreated(answer);
    },
  );
  const revoke = useChange((token: ApiToken) => api(`/api-tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' }), [['settings', 'tokens']], () => setRevoking(null));
  return (
    <QueryState query={tokens}>
      {(answer) => (
        <>
          <Group mb="sm">
            <Button
              onClick={() => {
                create.reset();
                setForm({ name: '', scopes: ['fleet:read'] });
              }}
            >
              {t('settings.tokens.add')}
            </Button>
          </Group>
          {itemsOf(answer).filter((token) => !token.revokedAt).length === 0 ? (
            <Text>{t('settings.tokens.none')}</Text>
          ) : (
            <div className="table-scroll" tabIndex={0}>
              <Table striped verticalSpacing="xs" miw={640}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('settings.tokens.name')}</Table.Th>
                    <Table.Th scope="col">{t('settings.tokens.scopes')}</Table.Th>
                    <Table.Th scope="col">{t('settings.tokens.created')}</Table.Th>
                    <Table.Th scope="col">{t('settings.tokens.lastUsed')}</Table.Th>
                    <Table.Th scope="col">{t('settings.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {itemsOf(answer).filter((token) => !token.revokedAt).map((token) => (
                    <Table.Tr key={token.id} data-token={token.name}>
                      <Table.Th scope="row">{token.name}</Table.Th>
                      <Table.Td>{token.scopes.map((s) => t(`permissions.${s}`, { defaultValue: s })).join(', ')}</Table.Td>
                      <Table.Td>{formatDateTime(i18n.language, token.createdAt)}</Table.Td>
                      <Table.Td>{token.lastUsedAt ? formatDateTime(i18n.language, token.lastUsedAt) : t('settings.tokens.never')}</Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="outline"
                          color="#a51d1d"
                          onClick={() => {
                            revoke.reset();
                            setRevoking(token);
                          }}
                        >
                          {t('settings.tokens.revoke')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
          {form && (
            <FormDialog
              opened
              title={t('settings.tokens.add')}
              submitLabel={t('app.create')}
              pending={create.isPending}
              error={create.error}
              onClose={() => setForm(null)}
              onSubmit={() => create.mutate(form)}
            >
              <TextInput label={t('settings.tokens.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-autofocus />
              <Checkbox.Group label={t('settings.tokens.scopes')} value={form.scopes} onChange={(scopes) => setForm({ ...form, scopes })}>
                <Stack gap={6} mt={6}>
                  {grantable.map((p) => (
                    <Checkbox key={p} value={p} label={t(`permissions.${p}`)} />
                  ))}
                </Stack>
              </Checkbox.Group>
            </FormDialog>
          )}
          {created && (
            <SecretDialog opened title={t('settings.tokens.createdTitle', { name: created.name })} body={t('settings.tokens.createdBody')} secret={created.token} onClose={() => setCreated(null)} />
          )}
          {revoking && (
            <ConfirmDialog
              opened
              title={t('settings.tokens.revokeTitle', { name: revoking.name })}
              body={t('settings.tokens.revokeBody')}
              confirmLabel={t('settings.tokens.revoke')}
              pending={revoke.isPending}
              error={revoke.error}
              onClose={() => setRevoking(null)}
              onConfirm={() => revoke.mutate(revoking)}
            />
          )}
        </>
      )}
    </QueryState>
  );
}
