import { Button, NativeSelect, Table, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useSites } from '../lists/reference.js';
import { useSession } from '../session.js';
import type { Site } from '@cubby/protocol/api';
import { QueryState } from '../ui/QueryState.js';
import { AddButton, FormDialog, SettingsTable, useDialogChange } from './settings-ui.js';

const zones: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [
      'America/New_York',
      'America/Chicago',
      'America/Denver',
      'America/Phoenix',
      'America/Los_Angeles',
      'America/Anchorage',
      'Pacific/Honolulu',
    ];
  }
})();

interface SiteForm {
  id: string | null;
  name: string;
  timeZone: string;
  schoolDayEnd: string;
}

/** Campuses: their time zone and when the school day ends (loans fall due then). */
export function SitesSettings() {
  const { t } = useTranslation();
  const { me } = useSession();
  const sites = useSites();
  const save = useDialogChange(
    (f: SiteForm) =>
      f.id
        ? api(`/sites/${encodeURIComponent(f.id)}`, {
            method: 'PATCH',
            body: { name: f.name, timeZone: f.timeZone, schoolDayEnd: f.schoolDayEnd },
          })
        : api('/sites', { method: 'POST', body: { name: f.name, timeZone: f.timeZone, schoolDayEnd: f.schoolDayEnd } }),
    [['settings', 'sites'], ['overview']],
  );
  const { value: form, setValue: setForm } = save;
  const open = (site: Site | null) =>
    save.open(
      site
        ? { id: site.id, name: site.name, timeZone: site.timeZone, schoolDayEnd: site.schoolDayEnd }
        : { id: null, name: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, schoolDayEnd: '15:30' },
    );
  return (
    <QueryState query={sites}>
      {(page) => (
        <>
          {me.siteIds === null && <AddButton onClick={() => open(null)}>{t('settings.sites.add')}</AddButton>}
          <SettingsTable
            items={page.items}
            empty={t('settings.sites.none')}
            minWidth={560}
            columns={[
              t('settings.sites.name'),
              t('settings.sites.timeZone'),
              t('settings.sites.schoolDayEnd'),
              t('settings.actions'),
            ]}
            row={(site) => (
              <Table.Tr key={site.id} data-site={site.name}>
                <Table.Th scope="row">{site.name}</Table.Th>
                <Table.Td>{site.timeZone}</Table.Td>
                <Table.Td>{site.schoolDayEnd}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => open(site)}
                    aria-label={t('settings.sites.edit', { name: site.name })}
                  >
                    {t('app.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            )}
          />
          {form && (
            <FormDialog
              title={form.id ? t('settings.sites.edit', { name: form.name }) : t('settings.sites.add')}
              submitLabel={t('app.save')}
              change={save}
            >
              <TextInput
                label={t('settings.sites.name')}
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                data-autofocus
              />
              <NativeSelect
                label={t('settings.sites.timeZone')}
                value={form.timeZone}
                data={zones}
                onChange={(e) => setForm({ ...form, timeZone: e.currentTarget.value })}
              />
              <TextInput
                label={t('settings.sites.schoolDayEnd')}
                type="time"
                required
                value={form.schoolDayEnd}
                onChange={(e) => setForm({ ...form, schoolDayEnd: e.currentTarget.value })}
              />
            </FormDialog>
          )}
        </>
      )}
    </QueryState>
  );
}
