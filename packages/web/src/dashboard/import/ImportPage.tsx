import { Alert, Button, Group, Paper, Progress, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportKind, ImportRunItem } from '@cubby/protocol/api';
import { api } from '../api.js';
import { usePageTitle } from '../ui/page-title.js';
import { useProblemMessage } from '../ui/QueryState.js';
import { historyKey, ImportHistoryTable } from './ImportHistory.js';
import { ImportResult } from './ImportResult.js';

const accepts: Record<ImportKind, { accept: string; type: string }> = {
  oneroster: { accept: '.zip,application/zip', type: 'application/zip' },
  people: { accept: '.csv,text/csv', type: 'text/csv' },
  devices: { accept: '.csv,text/csv', type: 'text/csv' },
};
const importKinds = Object.keys(accepts) as ImportKind[];

/**
 * The Import page (docs/importing.md): choose the kind, drop or pick a file,
 * read the dry run (counts and every problem), apply it, and the history.
 */
export function ImportPage() {
  const { t } = useTranslation();
  usePageTitle(t('importing.title'));
  const client = useQueryClient();
  const problemMessage = useProblemMessage();
  const [kind, setKind] = useState<ImportKind>('oneroster');
  const [fileName, setFileName] = useState('');
  const refresh = () => void client.invalidateQueries({ queryKey: historyKey });
  const upload = useMutation({
    mutationFn: (file: File) =>
      api<ImportRunItem>(`/imports?kind=${kind}&fileName=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        file: { body: file, type: accepts[kind].type },
      }),
    onSettled: refresh,
  });
  const apply = useMutation({
    mutationFn: (id: string) => api<ImportRunItem>(`/imports/${encodeURIComponent(id)}/apply`, { method: 'POST' }),
    onSettled: refresh,
  });
  const send = (file: File) => {
    setFileName(file.name);
    apply.reset();
    upload.mutate(file);
  };
  const restart = () => {
    upload.reset();
    apply.reset();
  };
  const run = apply.data ?? upload.data;
  const busy = upload.isPending
    ? t('importing.uploading', { file: fileName })
    : apply.isPending
      ? t('importing.applying', { file: fileName })
      : null;
  const error = apply.error ?? upload.error;

  return (
    <Stack gap="lg" data-page="import">
      <Stack gap={4}>
        <Title order={1}>{t('importing.title')}</Title>
        <Text c="gray.8">{t('importing.intro')}</Text>
      </Stack>
      {!run && !busy && <ChooseFile kind={kind} setKind={setKind} onFile={send} />}
      {busy && (
        <Paper withBorder p="md" role="status" data-import-busy>
          <Text fw={600} mb="sm">
            {busy}
          </Text>
          <Progress value={100} animated striped aria-label={busy} />
        </Paper>
      )}
      {error && !busy && (
        <Alert color="red" variant="light" title={problemMessage(error)} data-import-error>
          <Button variant="default" onClick={restart} mt="xs">
            {t('importing.another')}
          </Button>
        </Alert>
      )}
      {run && !busy && <ImportResult run={run} onApply={() => apply.mutate(run.id)} onAnother={restart} />}
      <ImportHistoryTable />
    </Stack>
  );
}

function ChooseFile(props: { kind: ImportKind; setKind: (kind: ImportKind) => void; onFile: (file: File) => void }) {
  const { t } = useTranslation();
  const { kind, setKind } = props;
  return (
    <Paper withBorder p="md" component="section" aria-label={t('importing.kind')}>
      <Stack gap="md">
        <Radio.Group
          label={t('importing.kind')}
          value={kind}
          onChange={(v) => setKind(v as ImportKind)}
          description={t(`importing.kindHints.${kind}`)}
        >
          <Group gap="lg" mt="xs">
            {importKinds.map((k) => (
              <Radio key={k} value={k} label={t(`importing.kinds.${k}`)} data-kind={k} />
            ))}
          </Group>
        </Radio.Group>
        <DropArea accept={accepts[kind].accept} onFile={props.onFile} />
      </Stack>
    </Paper>
  );
}

/** A drop target that is also a file picker: the button is the keyboard's way in. */
function DropArea({ accept, onFile }: { accept: string; onFile: (file: File) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    <div
      className="import-drop"
      data-over={over || undefined}
      data-import-drop
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <Text fw={600} fz="lg">
        {t('importing.drop')}
      </Text>
      <Text c="gray.7">{t('importing.or')}</Text>
      <Button onClick={() => input.current?.click()}>{t('importing.choose')}</Button>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        data-import-file
        aria-label={t('importing.choose')}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
