import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemMessage } from '../ui/QueryState.js';

/** A change that re-reads the given queries once it succeeds. */
export function useChange<A, R>(run: (args: A) => Promise<R>, invalidates: QueryKey[], onDone?: (result: R) => void) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (result) => {
      await Promise.all(invalidates.map((key) => queries.invalidateQueries({ queryKey: key })));
      onDone?.(result);
    },
  });
}

export function ChangeError({ error }: { error: unknown }) {
  const message = useProblemMessage();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {message(error)}
    </Alert>
  );
}

/** A form in a dialog: its fields, the error of the last try, Cancel and the submit button. */
export function FormDialog({
  opened,
  title,
  submitLabel,
  pending,
  error,
  onClose,
  onSubmit,
  children,
}: {
  opened: boolean;
  title: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onClose(): void;
  onSubmit(): void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': t('app.close') }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm">
          <ChangeError error={error} />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A secret shown once (an enrollment code, an API token), with a copy button. */
export function SecretDialog({ opened, title, body, secret, footer, onClose }: { opened: boolean; title: string; body: string; secret: string; footer?: string; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': t('app.close') }}>
      <Stack gap="sm">
        <Text>{body}</Text>
        <Code block fz="lg" data-secret>
          {secret}
        </Code>
        {footer && <Text c="gray.7">{footer}</Text>}
        <Group justify="flex-end">
          <CopyButton value={secret}>{({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? t('app.copied') : t('app.copy')}</Button>}</CopyButton>
          <Button onClick={onClose}>{t('app.close')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** "Are you sure?" for something that cannot be undone from here. */
export function ConfirmDialog({ opened, title, body, confirmLabel, pending, error, onClose, onConfirm }: {
  opened: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onClose(): void;
  onConfirm(): void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': t('app.close') }}>
      <Stack gap="sm">
        <Text>{body}</Text>
        <ChangeError error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button color="#a51d1d" onClick={onConfirm} loading={pending}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A list answer as an array, whether the route answers `{ items }` or a bare array. */
export function itemsOf<T>(answer: { items: T[] } | T[] | undefined): T[] {
  if (!answer) return [];
  return Array.isArray(answer) ? answer : answer.items;
}
