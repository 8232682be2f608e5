import { Alert, Button, Center, Group, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isForbidden } from '../api.js';
import { NoAccess } from './NoAccess.js';

const knownCodes = new Set([
  'forbidden',
  'unauthenticated',
  'csrf_failed',
  'not_found',
  'validation',
  'station_offline',
  'conflict',
  'offline',
  'bad_credentials',
  'locked_out',
]);
/** Where the reasons of the person and device pages' refusals are worded. */
const reasonSections = ['person', 'device'];
const signInCodes = new Set(['bad_credentials', 'locked_out', 'throttled', 'busy']);

/** A problem as a sentence for staff: known codes translated, others by their title and code. */
export function useProblemMessage(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error) => {
    if (error instanceof ApiError) {
      // A refusal with a reason of its own (a taken asset tag, a loaner on loan) says exactly that.
      const reasonKey = error.reason && reasonSections.map((s) => `${s}.errors.${error.reason}`).find((k) => i18n.exists(k));
      if (reasonKey) return t(reasonKey as 'person.errors.erased');
      if (signInCodes.has(error.code)) return t(`signIn.${error.code as 'locked_out'}`);
      if (knownCodes.has(error.code)) return t(`errors.${error.code as 'forbidden'}`);
      if (error.status === 409) return error.detail ?? t('errors.conflict');
      if (error.status === 400) return error.detail ? `${t('errors.validation')} ${error.detail}` : t('errors.validation');
      if (error.status === 404) return t('errors.not_found');
      return t('errors.generic', { code: error.code });
    }
    return t('errors.generic', { code: error instanceof Error ? error.message : String(error) });
  };
}

export function ProblemAlert({ error, retry, standalone }: { error: unknown; retry?: () => void; standalone?: boolean }) {
  const { t } = useTranslation();
  const message = useProblemMessage();
  const alert = (
    <Alert color="red" variant="light" role="alert" title={message(error)} maw={640}>
      {retry && (
        <Group mt="xs">
          <Button size="xs" variant="white" color="red" onClick={retry}>
            {t('app.retry')}
          </Button>
        </Group>
      )}
    </Alert>
  );
  return standalone ? (
    <Center mih="100vh" p="md">
      <main>{alert}</main>
    </Center>
  ) : (
    alert
  );
}

/** Loading, refused (403 → "You don't have access"), failed, or the data. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (query.isError) {
    if (isForbidden(query.error)) return <NoAccess />;
    return <ProblemAlert error={query.error} retry={() => void query.refetch()} />;
  }
  return children(query.data);
}
