import { Badge, Button, Checkbox, Group, NativeSelect, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useSites } from '../lists/reference.js';
import { useSession } from '../session.js';
import type { StaffRole } from '@cubby/core';
import type { DashboardUser } from '@cubby/protocol/api';
import { useZones } from '../lists/reference.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';
import { AddButton, ConfirmDialog, DangerRowButton, FormDialog, itemsOf, SettingsTable, useDialogChange } from './settings-ui.js';

const roles: StaffRole[] = ['district_admin', 'site_admin', 'technician', 'auditor'];
/** These roles see only the campuses they are given (ARCHITECTURE §8). */
const scoped = (role: StaffRole) => role === 'site_admin' || role === 'technician';

interface UserForm {
  id: string | null;
  name: string;
  email: string;
  role: StaffRole;
  siteIds: string[];
  password: string;
}

/** Dashboard users: add one with a role and campuses, change a role, disable. */
export function UsersSettings() {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const { me } = useSession();
  const sites = useSites();
  const users = useQuery({
    queryKey: ['settings', 'users'],
    queryFn: () => api<{ items: DashboardUser[] }>('/users'),
  });
  const [missingCampus, setMissingCampus] = useState(false);
  const save = useDialogChange(
    (f: UserForm) => {
      const siteIds = scoped(f.role) ? f.siteIds : null;
      return f.id
        ? api(`/users/${encodeURIComponent(f.id)}`, { method: 'PATCH', body: { role: f.role, siteIds } })
        : api('/users', { method: 'POST', body: { name: f.name, email: f.email, role: f.role, siteIds, password: f.password } });
    },
    [['settings', 'users']],
  );
  const { value: form, setValue: setForm } = save;
  const disable = useDialogChange(
    (user: DashboardUser) => api(`/users/${encodeURIComponent(user.id)}`, { method: 'DELETE' }),
    [['settings', 'users']],
  );
  const siteName = (id: string) => sites.data?.items.find((s) => s.id === id)?.name ?? id;
  const submit = (f: UserForm) => {
    const missing = scoped(f.role) && f.siteIds.length === 0;
    setMissingCampus(missing);
    if (!missing) save.submit();
  };
  const open = (f: UserForm) => {
    setMissingCampus(false);
    save.open(f);
  };
  return (
    <QueryState query={users}>
      {(answer) => (
        <>
          <AddButton onClick={() => open({ id: null, name: '', email: '', role: 'technician', siteIds: [], password: '' })}>
            {t('settings.users.add')}
          </AddButton>
          <SettingsTable
            items={itemsOf(answer)}
            minWidth={760}
            columns={[
              t('settings.users.name'),
              t('settings.users.email'),
              t('settings.users.role'),
              t('settings.users.campuses'),
              t('settings.users.status'),
              t('settings.users.lastLogin'),
              t('settings.actions'),
            ]}
            row={(user) => (
              <Table.Tr key={user.id} data-user={user.email}>
                <Table.Th scope="row">{user.name}</Table.Th>
                <Table.Td>{user.email}</Table.Td>
                <Table.Td>{t(`roles.${user.role}`)}</Table.Td>
                <Table.Td>
                  {user.siteIds === null ? t('settings.users.allCampuses') : user.siteIds.map(siteName).join(', ')}
                </Table.Td>
                <Table.Td>
                  <Badge variant="filled" color={user.disabled ? 'gray.8' : '#1b6e2f'}>
                    {user.disabled ? t('settings.users.disabled') : t('settings.users.active')}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(i18n.language, user.lastLoginAt, zones.district)}</Table.Td>
                <Table.Td>
                  {!user.disabled && user.id !== me.id && (
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`${t('settings.users.changeRole')}: ${user.name}`}
                        onClick={() =>
                          open({
                            id: user.id,
                            name: user.name,
                            email: user.email,
                            role: user.role,
                            siteIds: user.siteIds ?? [],
                            password: '',
                          })
                        }
                      >
                        {t('settings.users.changeRole')}
                      </Button>
                      <DangerRowButton onClick={() => disable.open(user)}>{t('settings.users.disable')}</DangerRowButton>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          />
          {form && (
            <FormDialog
              title={form.id ? t('settings.users.changeRoleOf', { name: form.name }) : t('settings.users.add')}
              submitLabel={form.id ? t('app.save') : t('app.create')}
              change={save}
              onSubmit={() => submit(form)}
            >
              {!form.id && (
                <>
                  <TextInput
                    label={t('settings.users.name')}
                    required
                    value={form.name}
                    onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                    data-autofocus
                  />
                  <TextInput
                    label={t('settings.users.email')}
                    type="email"
                    required
                    value={form.email}
                    onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
                  />
                </>
              )}
              <NativeSelect
                label={t('settings.users.role')}
                value={form.role}
                data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                onChange={(e) => setForm({ ...form, role: e.currentTarget.value as StaffRole })}
              />
              {scoped(form.role) && (
                <Checkbox.Group
                  label={t('settings.users.campuses')}
                  value={form.siteIds}
                  onChange={(siteIds) => setForm({ ...form, siteIds })}
                  error={missingCampus ? t('settings.users.campusesNeeded') : undefined}
                  withAsterisk
                >
                  <Stack gap={6} mt={6}>
                    {(sites.data?.items ?? []).map((site) => (
                      <Checkbox key={site.id} value={site.id} label={site.name} />
                    ))}
                  </Stack>
                </Checkbox.Group>
              )}
              {!form.id && (
                <PasswordInput
                  label={t('settings.users.password')}
                  description={t('settings.users.passwordHint')}
                  required
                  autoComplete="new-password"
                  value={form.password}
                  onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
                />
              )}
            </FormDialog>
          )}
          {disable.value && (
            <ConfirmDialog
              title={t('settings.users.disableTitle', { name: disable.value.name })}
              body={t('settings.users.disableBody')}
              confirmLabel={t('settings.users.disable')}
              change={disable}
            />
          )}
          {itemsOf(answer).length === 0 && <Text>{t('list.empty')}</Text>}
        </>
      )}
    </QueryState>
  );
}
