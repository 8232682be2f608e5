import { Alert, Button, Group, Modal, type ModalProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemMessage } from './QueryState.js';

/** Red for things that cannot be undone from here; dark enough for text contrast on white. */
export const dangerColor = '#a51d1d';

/** A centred modal whose close button is named in the user's language. */
export function Dialog({
  opened,
  title,
  size,
  onClose,
  children,
}: Pick<ModalProps, 'opened' | 'title' | 'size' | 'onClose'> & { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      centered
      size={size}
      closeButtonProps={{ 'aria-label': t('app.close') }}
    >
      {children}
    </Modal>
  );
}

/** Why the last try of a change failed, announced to screen readers; nothing while there is no error. */
export function ChangeError({ error }: { error: unknown }) {
  const message = useProblemMessage();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {message(error)}
    </Alert>
  );
}

/**
 * Cancel and the dialog's own button. Without `onConfirm` the button submits the dialog's form;
 * with it, the button acts by itself (a dialog with nothing to fill in).
 */
export function DialogActions({
  submitLabel,
  pending,
  danger,
  disabled,
  onCancel,
  onConfirm,
}: {
  submitLabel: string;
  pending: boolean;
  danger?: boolean;
  disabled?: boolean;
  onCancel(): void;
  onConfirm?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('app.cancel')}
      </Button>
      <Button
        type={onConfirm ? 'button' : 'submit'}
        color={danger ? dangerColor : undefined}
        disabled={disabled}
        loading={pending}
        onClick={onConfirm}
      >
        {submitLabel}
      </Button>
    </Group>
  );
}
