import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportRunItem } from '@cubby/protocol/api';

const countColumns = ['created', 'updated', 'deactivated', 'unchanged'] as const;
const recordKinds = ['campuses', 'people', 'contacts', 'devices'];

/** A dry run or an applied import: the counts per kind of record, every problem, and Apply. */
export function ImportResult({ run, onApply, onAnother }: { run: ImportRunItem; onApply: () => void; onAnother: () => void }) {
  const { t } = useTranslation();
  const applied = run.status === 'applied';
  const blocked = run.problems.length > 0 || run.status !== 'previewed';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="import-result" data-import-result={run.status}>
      <Stack gap="md">
        <div>
          <Title order={2} fz="h3" id="import-result">
            {applied ? t('importing.applied', { file: run.fileName }) : t('importing.preview', { file: run.fileName })}
          </Title>
          {run.status !== 'refused' && (
            <Text c="gray.8">{applied ? t('importing.appliedNote') : t('importing.previewNote')}</Text>
          )}
        </div>
        {run.status === 'refused' && (
          <Alert color="red" variant="light">
            {t('importing.refused')}
          </Alert>
        )}
        <CountsTable run={run} />
        {run.problems.length > 0 && <ProblemsTable run={run} />}
        <Group gap="sm">
          {!applied && (
            <Button onClick={onApply} disabled={blocked} data-import-apply>
              {t('importing.apply')}
            </Button>
          )}
          <Button variant="default" onClick={onAnother}>
            {t('importing.another')}
          </Button>
        </Group>
        {!applied && blocked && <Text c="red.9">{t('importing.applyBlocked')}</Text>}
      </Stack>
    </Paper>
  );
}

function CountsTable({ run }: { run: ImportRunItem }) {
  const { t, i18n } = useTranslation();
  const kinds = Object.keys(run.counts).sort((a, b) => recordKinds.indexOf(a) - recordKinds.indexOf(b));
  if (kinds.length === 0) return <Text c="gray.7">{t('importing.noCounts')}</Text>;
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table withTableBorder striped data-import-counts aria-label={t('importing.record')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('importing.record')}</Table.Th>
            {countColumns.map((c) => (
              <Table.Th key={c} scope="col" ta="right">
                {t(`importing.${c}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {kinds.map((kind) => (
            <Table.Tr key={kind} data-count={kind}>
              <Table.Th scope="row">{t(`importing.records.${kind as 'people'}`, { defaultValue: kind })}</Table.Th>
              {countColumns.map((c) => (
                <Table.Td key={c} ta="right" data-count-of={c}>
                  {number.format(run.counts[kind]![c])}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ProblemsTable({ run }: { run: ImportRunItem }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="import-problems">
      <Title order={3} fz="h4" id="import-problems" mb="xs" c="red.9">
        {t('importing.problems', { count: run.problems.length })}
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table withTableBorder data-import-problems>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('importing.file')}</Table.Th>
              <Table.Th scope="col">{t('importing.line')}</Table.Th>
              <Table.Th scope="col">{t('importing.column')}</Table.Th>
              <Table.Th scope="col">{t('importing.message')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {run.problems.map((p, i) => (
              <Table.Tr key={i} data-problem>
                <Table.Td>{p.file}</Table.Td>
                <Table.Td data-problem-line>{p.line ?? '—'}</Table.Td>
                <Table.Td data-problem-column>{p.column ?? '—'}</Table.Td>
                <Table.Td>{p.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}
