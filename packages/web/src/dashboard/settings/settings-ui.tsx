import { Button, Code, CopyButton, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangeError, Dialog, DialogActions, dangerColor } from '../ui/Dialog.js';

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

/** What a dialog needs from the change it sends: how it is going, and how to send or leave it. */
export interface DialogChange<T> {
  /** The form being filled in or the row being confirmed; null while the dialog is shut. */
  value: T | null;
  setValue(value: T): void;
  /** Opens the dialog on a value, forgetting the error of an earlier try. */
  open(value: T): void;
  close(): void;
  submit(): void;
  /** Sends this value at once (a choice that is also the submit, e.g. one button per match). */
  submitWith(value: T): void;
  pending: boolean;
  error: unknown;
}

/** A change made from a dialog (a form, an "are you sure?"): the dialog shuts once it succeeds. */
export function useDialogChange<T, R>(
  run: (value: T) => Promise<R>,
  invalidates: QueryKey[],
  onDone?: (result: R) => void,
): DialogChange<T> {
  const [value, setValue] = useState<T | null>(null);
  const change = useChange(run, invalidates, (result: R) => {
    setValue(null);
    onDone?.(result);
  });
  return {
    value,
    setValue,
    open: (next) => {
      change.reset();
      setValue(next);
    },
    close: () => setValue(null),
    submit: () => {
      if (value !== null) change.mutate(value);
    },
    submitWith: (next) => change.mutate(next),
    pending: change.isPending,
    error: change.error,
  };
}

type DialogControls = Pick<DialogChange<unknown>, 'pending' | 'error' | 'close' | 'submit'>;

/** A form in a dialog: its fields, the error of the last try, Cancel and the submit button. */
export function FormDialog({
  title,
  submitLabel,
  change,
  onSubmit = change.submit,
  children,
}: {
  title: string;
  submitLabel: string;
  change: DialogControls;
  /** Instead of sending the form straight away (to check it first). */
  onSubmit?: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog opened onClose={change.close} title={title}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm">
          <ChangeError error={change.error} />
          {children}
          <DialogActions submitLabel={submitLabel} pending={change.pending} onCancel={change.close} />
        </Stack>
      </form>
    </Dialog>
  );
}

/** A secret shown once (an enrollment code, an API token), with a copy button. */
export function SecretDialog({
  title,
  body,
  secret,
  footer,
  onClose,
}: {
  title: string;
  body: string;
  secret: string;
  footer?: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog opened onClose={onClose} title={title}>
      <Stack gap="sm">
        <Text>{body}</Text>
        <Code block fz="lg" data-secret>
          {secret}
        </Code>
        {footer && <Text c="gray.7">{footer}</Text>}
        <Group justify="flex-end">
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? t('app.copied') : t('app.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>{t('app.close')}</Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

/** "Are you sure?" for something that cannot be undone from here. */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  change,
}: {
  title: string;
  body: string;
  confirmLabel: string;
  change: DialogControls;
}) {
  return (
    <Dialog opened onClose={change.close} title={title}>
      <Stack gap="sm">
        <Text>{body}</Text>
        <ChangeError error={change.error} />
        <DialogActions
          submitLabel={confirmLabel}
          pending={change.pending}
          danger
          onCancel={change.close}
          onConfirm={change.submit}
        />
      </Stack>
    </Dialog>
  );
}

/** The tab's one action above its table (add a campus, a station, a user, a token). */
export function AddButton({ disabled, onClick, children }: { disabled?: boolean; onClick(): void; children: ReactNode }) {
  return (
    <Group mb="sm">
      <Button onClick={onClick} disabled={disabled}>
        {children}
      </Button>
    </Group>
  );
}

/** A row's button for revoking or disabling; it only asks, the confirm dialog does it. */
export function DangerRowButton({ onClick, children }: { onClick(): void; children: ReactNode }) {
  return (
    <Button size="xs" variant="outline" color={dangerColor} onClick={onClick}>
      {children}
    </Button>
  );
}

/**
 * A settings table that scrolls sideways on narrow screens (and can be scrolled by keyboard),
 * one row per item; with `empty`, that sentence stands in for a table with no rows.
 */
export function SettingsTable<T>({
  items,
  columns,
  minWidth,
  empty,
  row,
}: {
  items: T[];
  columns: string[];
  minWidth: number;
  empty?: string;
  row(item: T): ReactNode;
}) {
  if (empty !== undefined && items.length === 0) return <Text>{empty}</Text>;
  return (
    <div className="table-scroll" tabIndex={0}>
      <Table striped verticalSpacing="xs" miw={minWidth}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column} scope="col">
                {column}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{items.map((item) => row(item))}</Table.Tbody>
      </Table>
    </div>
  );
}

/** A list answer as an array, whether the route answers `{ items }` or a bare array. */
export function itemsOf<T>(answer: { items: T[] } | undefined): T[] {
  return answer?.items ?? [];
}

/** A settings form's Save button, and "Saved." once the change went through. */
export function SaveRow({ pending, saved }: { pending: boolean; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <Group>
      <Button type="submit" loading={pending}>
        {t('app.save')}
      </Button>
      {saved && (
        <Text role="status" c="#1b6e2f" fw={600}>
          {t('app.saved')}
        </Text>
      )}
    </Group>
  );
}
