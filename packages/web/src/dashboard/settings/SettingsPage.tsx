import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useSession } from '../session.js';
import { NoAccess } from '../ui/NoAccess.js';
import { usePageTitle } from '../ui/page-title.js';
import { ChargingSettings } from './ChargingSettings.js';
import { EmailSettingsPanel } from './EmailSettings.js';
import { GoogleSettings } from './GoogleSettings.js';
import { PolicySettings } from './PolicySettings.js';
import { RetentionSettings } from './RetentionSettings.js';
import { settingsSections, type SettingsSection } from './sections.js';
import { SitesSettings } from './SitesSettings.js';
import { StationsSettings } from './StationsSettings.js';
import { TokensSettings } from './TokensSettings.js';
import { UsersSettings } from './UsersSettings.js';

const panels: Record<SettingsSection, () => React.JSX.Element> = {
  sites: SitesSettings,
  stations: StationsSettings,
  policy: PolicySettings,
  charging: ChargingSettings,
  users: UsersSettings,
  tokens: TokensSettings,
  retention: RetentionSettings,
  google: GoogleSettings,
  email: EmailSettingsPanel,
};

export function SettingsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { section } = useParams();
  const allowed = settingsSections.filter((s) => can(s.permission));
  const current = allowed.find((s) => s.key === section);
  usePageTitle(current ? `${t(`settings.${current.key}.title`)} · ${t('settings.title')}` : t('settings.title'));
  if (allowed.length === 0) return <NoAccess />;
  if (!section) return <Navigate to={`/settings/${allowed[0]!.key}`} replace />;
  if (!current) return <NoAccess />;
  const Panel = panels[current.key];
  return (
    <Stack gap="md" data-page={`settings-${current.key}`}>
      <Title order={1}>{t('settings.title')}</Title>
      <Tabs value={current.key} onChange={(key) => key && navigate(`/settings/${key}`)} keepMounted={false}>
        <Tabs.List aria-label={t('settings.sections')}>
          {allowed.map((s) => (
            <Tabs.Tab key={s.key} value={s.key} fw={600}>
              {t(`settings.${s.key}.title`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value={current.key} pt="md">
          <Panel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
