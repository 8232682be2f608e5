import { Button, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../session.js';
import type { Permission } from '@cubby/core';
import { usePageTitle } from './page-title.js';

/** A polite refusal: the page exists, but this role cannot use it. */
export function NoAccess() {
  const { t } = useTranslation();
  const { me } = useSession();
  usePageTitle(t('access.title'));
  return (
    <Stack gap="md" maw={560} data-page="no-access">
      <Title order={1}>{t('access.title')}</Title>
      <Text>{t('access.body', { role: t(`roles.${me.role}`) })}</Text>
      <Button component={Link} to="/" variant="light" w="fit-content">
        {t('access.home')}
      </Button>
    </Stack>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t('access.notFoundTitle'));
  return (
    <Stack gap="md" maw={560} data-page="not-found">
      <Title order={1}>{t('access.notFoundTitle')}</Title>
      <Text>{t('access.notFoundBody')}</Text>
      <Button component={Link} to="/" variant="light" w="fit-content">
        {t('access.home')}
      </Button>
    </Stack>
  );
}

/** Shows the page only to roles with the permission; the API would answer 403 anyway. */
export function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? children : <NoAccess />;
}
