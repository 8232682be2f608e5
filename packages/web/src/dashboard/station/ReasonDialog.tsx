import { Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangeError, Dialog, DialogActions } from '../ui/Dialog.js';

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
    <Dialog opened={opened} onClose={close} title={title} size="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text>{body}</Text>
          <ChangeError error={send.error} />
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
          <DialogActions submitLabel={submitLabel} pending={send.isPending} danger={danger} disabled={!valid} onCancel={close} />
        </Stack>
      </form>
    </Dialog>
  );
}
