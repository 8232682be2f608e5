import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemMessage } from '../ui/QueryState.js';

/** A change that needs a written reason (it goes to the audit log with the user's name). */
export function ReasonDialog({
  opened,
  title,
  body,
  submitLabel,
  danger,
  onClose,
  onSubmit,
}: {
  opened: boolean;
  title: string;
  body: string;
  submitLabel: string;
  danger?: boolean;
  onClose(): void;
  onSubmit(reason: string): Promise<unknown>;
}) {
  const { t } = useTranslation();
  const message = useProblemMessage();
  const [reason, setReason] = useState('');
  const send = useMutation({ mutationFn: () => onSubmit(reason.trim()), onSuccess: () => close() });
  const close = () => {
    setReason('');
    send.reset();
    onClose();
  };
  const valid = reason.trim().length >= 3 && reason.trim().length <= 200;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) send.mutate();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered size="md" closeButtonProps={{ 'aria-label': t('app.close') }}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text>{body}</Text>
          {send.isError && (
            <Alert color="red" variant="light" role="alert">
              {message(send.error)}
            </Alert>
          )}
          <Textarea
            label={t('station.reason')}
            description={t('station.reasonHint')}
            required
            autosize
            minRows={2}
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" color={danger ? '#a51d1d' : undefined} disabled={!valid} loading={send.isPending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
