import {
  AppShell,
  Burger,
  Button,
  CloseButton,
  Group,
  NativeSelect,
  NavLink,
  Notification,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { dashboardLanguageNames, dashboardLanguages, setDashboardLanguage, type DashboardLanguage } from '../i18n/dashboard.js';
import { useLive } from './live.js';
import { settingsSections } from './settings/sections.js';
import { useSession } from './session.js';
import type { Permission } from '@cubby/core';

interface NavItem {
  to: string;
  label:
    | 'overview'
    | 'devices'
    | 'people'
    | 'loans'
    | 'repairs'
    | 'repairBoard'
    | 'tasks'
    | 'capacity'
    | 'audit'
    | 'import'
    | 'settings';
  /** Shown when the user has any of these. */
  needs: Permission[];
}

const navItems: NavItem[] = [
  { to: '/', label: 'overview', needs: ['fleet:read'] },
  { to: '/devices', label: 'devices', needs: ['fleet:read'] },
  { to: '/people', label: 'people', needs: ['people:read'] },
  { to: '/loans', label: 'loans', needs: ['fleet:read'] },
  { to: '/repairs', label: 'repairs', needs: ['fleet:read'] },
  { to: '/repairs/board', label: 'repairBoard', needs: ['fleet:read'] },
  { to: '/tasks', label: 'tasks', needs: ['station:operate'] },
  { to: '/capacity', label: 'capacity', needs: ['fleet:read'] },
  { to: '/audit', label: 'audit', needs: ['audit:read'] },
  { to: '/import', label: 'import', needs: ['roster:import'] },
  { to: '/settings', label: 'settings', needs: settingsSections.map((s) => s.permission) },
];

/** Header (live indicator, language, who is signed in), navigation for the role, notices. */
export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { me, can, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  useEffect(close, [location.pathname, close]);
  const items = navItems.filter((item) => item.needs.some((p) => can(p)));
  const isActive = (to: string) => {
    const path = location.pathname;
    if (to === '/') return path === '/' || path.startsWith('/stations');
    // The list is /repairs itself; the board and each ticket page (its cards) live under /repairs/.
    if (to === '/repairs') return path === '/repairs';
    if (to === '/repairs/board') return path.startsWith('/repairs/');
    return path.startsWith(to);
  };

  return (
    <AppShell
      transitionDuration={0}
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#content" className="skip-link">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" justify="space-between" wrap="nowrap" className="app-header">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={t('app.menu')}
              aria-expanded={opened}
            />
            <Text component={Link} to="/" fw={800} fz="xl" c="blue.9" td="none">
              {t('app.name')}
            </Text>
            <LiveIndicator />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NativeSelect
              aria-label={t('app.language')}
              value={i18n.language}
              onChange={(e) => setDashboardLanguage(e.currentTarget.value as DashboardLanguage)}
              data={dashboardLanguages.map((l) => ({ value: l, label: dashboardLanguageNames[l] }))}
              className="language-select"
            />
            <Stack gap={0} visibleFrom="sm" align="flex-end">
              <Text fz="sm" fw={600} data-testid="signed-in-as">
                {me.name}
              </Text>
              <Text fz="xs" c="gray.7">
                {t(`roles.${me.role}`)}
              </Text>
            </Stack>
            {/* On a phone, Sign out is in the menu: beside the language it would not fit. */}
            <Button variant="default" visibleFrom="xs" onClick={() => void signOut()}>
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.navigation')}>
        {items.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={t(`nav.${item.label}`)}
            active={isActive(item.to)}
            aria-current={isActive(item.to) ? 'page' : undefined}
            variant="filled"
            fw={600}
            style={{ borderRadius: 8 }}
          />
        ))}
        <Stack gap={4} hiddenFrom="xs" mt="md" px="xs">
          <Text fz="sm" fw={600}>
            {me.name}
          </Text>
          <Button variant="default" onClick={() => void signOut()}>
            {t('app.signOut')}
          </Button>
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Notices />
        <main id="content" tabIndex={-1}>
          {children}
        </main>
      </AppShell.Main>
    </AppShell>
  );
}

function LiveIndicator() {
  const { t } = useTranslation();
  const { state } = useLive();
  const label = state === 'live' ? t('live.live') : state === 'connecting' ? t('live.connecting') : t('live.offline');
  const hint = state === 'live' ? t('live.liveHint') : t('live.offlineHint');
  return (
    <Tooltip label={hint}>
      <span
        className={`live-indicator live-${state}`}
        role="status"
        aria-label={`${label}. ${hint}`}
        data-live={state}
        tabIndex={0}
      >
        <span className={`live-dot live-dot-${state}`} aria-hidden="true" />
        <span aria-hidden="true" className="live-word">
          {label}
        </span>
      </span>
    </Tooltip>
  );
}

function Notices() {
  const { t } = useTranslation();
  const { notices, dismiss } = useLive();
  return (
    <div className="notices" role="region" aria-label={t('live.alerts')} aria-live="assertive">
      {notices.map((notice) => (
        <Notification
          key={notice.id}
          color={notice.tone === 'danger' ? 'red' : notice.tone === 'warning' ? 'orange' : 'blue'}
          withCloseButton={false}
          withBorder
          data-notice={notice.tone}
        >
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text fz="sm" fw={600} c="dark.9">
              {notice.message}
            </Text>
            <CloseButton aria-label={t('live.dismiss')} onClick={() => dismiss(notice.id)} />
          </Group>
        </Notification>
      ))}
    </div>
  );
}
