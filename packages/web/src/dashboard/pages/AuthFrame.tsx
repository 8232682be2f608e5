import { Center, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  dashboardLanguageNames,
  dashboardLanguages,
  setDashboardLanguage,
  type DashboardLanguage,
} from '../../i18n/dashboard.js';
import { usePageTitle } from '../ui/page-title.js';

/** The card sign-in and first-run setup share, with the language switch. */
export function AuthFrame({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  usePageTitle(title);
  return (
    <Center mih="100vh" p="md" bg="gray.1">
      <main>
        <Paper withBorder shadow="sm" p="xl" radius="lg" w="min(28rem, calc(100vw - 2rem))">
          <Stack gap="md">
            <Group justify="space-between" align="center">
              <Text fw={800} fz="xl" c="blue.9">
                {t('app.name')}
              </Text>
              <NativeSelect
                aria-label={t('app.language')}
                value={i18n.language}
                onChange={(e) => setDashboardLanguage(e.currentTarget.value as DashboardLanguage)}
                data={dashboardLanguages.map((l) => ({ value: l, label: dashboardLanguageNames[l] }))}
                w={120}
              />
            </Group>
            <Title order={1} fz="h2">
              {title}
            </Title>
            <Text c="gray.7">{subtitle}</Text>
            {children}
          </Stack>
        </Paper>
      </main>
    </Center>
  );
}
