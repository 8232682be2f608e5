import { Alert, Anchor, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Erasure, Person } from '@cubby/protocol/api';
import { api, apiBase, ApiError } from '../api.js';
import { useSession } from '../session.js';
import { ChangeError, dangerColor, Dialog, DialogActions } from '../ui/Dialog.js';

/**
 * A person's privacy actions on the People list (docs/privacy.md): their
 * whole record as a download (JSON or CSV), and erasure behind a dialog
 * that asks for the student number again.
 */
export function PersonPrivacy({ person }: { person: Person }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [erasing, setErasing] = useState(false);
  const name = `${person.givenName} ${person.familyName}`;
  const href = (format: 'json' | 'csv') => `${apiBase}/people/${encodeURIComponent(person.id)}/privacy-export?format=${format}`;
  return (
    <Group gap={6} wrap="nowrap">
      {can('privacy:export') &&
        (['json', 'csv'] as const).map((format) => {
          const label = t(format === 'json' ? 'privacy.exportJson' : 'privacy.exportCsv');
          return (
            <Anchor
              key={format}
              href={href(format)}
              download
              fz="sm"
              className="nowrap"
              // The accessible name starts with the visible words (WCAG 2.5.3), then says whose record it is.
              aria-label={`${label}: ${t('privacy.exportAbout', { name })}`}
              data-privacy-export={format}
            >
              {label}
            </Anchor>
          );
        })}
      {person.erasedAt !== null ? (
        <Badge color="gray.8" variant="filled">
          {t('people.erased')}
        </Badge>
      ) : (
        can('privacy:erase') && (
          <Button
            size="compact-sm"
            variant="subtle"
            color={dangerColor}
            onClick={() => setErasing(true)}
            aria-label={t('privacy.eraseLabel', { name })}
            data-privacy-erase
          >
            {t('privacy.erase')}
          </Button>
        )
      )}
      {erasing && <EraseDialog person={person} name={name} onClose={() => setErasing(false)} />}
    </Group>
  );
}

function EraseDialog({ person, name, onClose }: { person: Person; name: string; onClose(): void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [typed, setTyped] = useState('');
  const expected = person.studentNumber ?? person.id;
  const erase = useMutation({
    mutationFn: () =>
      api<Erasure>(`/people/${encodeURIComponent(person.id)}/erase`, { method: 'POST', body: { confirm: typed.trim() } }),
  });
  // The lists change once the dialog closes: a search for the old name would unmount this row (and the dialog) at once.
  const close = () => {
    if (erase.data) void queries.invalidateQueries({ queryKey: ['list'] });
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim() === expected) erase.mutate();
  };
  const reason = erase.error instanceof ApiError ? erase.error.reason : undefined;
  const known = reason && ['open_loan', 'device_in_locker', 'already_erased', 'confirmation'].includes(reason);
  return (
    <Dialog opened onClose={close} title={t('privacy.eraseTitle', { name })} size="md">
      {erase.data ? (
        <ErasedNotice pseudonym={erase.data.pseudonym} onClose={close} />
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <Text>{t('privacy.eraseBody')}</Text>
            <Text fz="sm" c="gray.7">
              {t('privacy.exportFirst')}
            </Text>
            {known ? (
              <Alert color="red" variant="light" role="alert">
                {t(`privacy.errors.${reason as 'open_loan'}`)}
              </Alert>
            ) : (
              <ChangeError error={erase.error} />
            )}
            <TextInput
              label={t(person.studentNumber ? 'privacy.confirmLabel' : 'privacy.confirmLabelId', { value: expected })}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              required
              data-autofocus
            />
            <DialogActions
              submitLabel={t('privacy.submit')}
              pending={erase.isPending}
              danger
              disabled={typed.trim() !== expected}
              onCancel={close}
            />
          </Stack>
        </form>
      )}
    </Dialog>
  );
}

function ErasedNotice({ pseudonym, onClose }: { pseudonym: string; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Alert color="green" variant="light" role="status">
        {t('privacy.done', { pseudonym })}
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onClose}>{t('app.close')}</Button>
      </Group>
    </Stack>
  );
}
