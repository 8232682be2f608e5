import { Badge, Button, Group, NativeSelect, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { taskFilters, taskKinds } from '@cubby/core/enumerations';
import type { TaskFilter, TaskKind } from '@cubby/core';
import type { Page, Person, Task, TaskList } from '@cubby/protocol/api';
import { api, queryString } from '../api.js';
import { useStations, useZones } from '../lists/reference.js';
import { useSession } from '../session.js';
import { ConfirmDialog, FormDialog, useDialogChange } from '../settings/settings-ui.js';
import { formatDateTime } from '../ui/format.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';

const tasksKey = ['tasks'];

/**
 * Single-use tasks (GET/POST /tasks, docs/tasks.md): not-done and done
 * tasks with who, what, where, which door and when, a form to create one,
 * and a cancel button on each open one.
 */
export function TasksPage() {
  const { t } = useTranslation();
  usePageTitle(t('tasks.title'));
  const [filter, setFilter] = useState<TaskFilter>('open');
  const list = useQuery({
    queryKey: [...tasksKey, filter],
    queryFn: () => api<TaskList>(`/tasks${queryString({ state: filter })}`),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack gap="md" data-page="tasks">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('tasks.title')}</Title>
        <CreateTask />
      </Group>
      <Text c="gray.7">{t('tasks.intro')}</Text>
      <NativeSelect
        label={t('tasks.filter')}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value as TaskFilter)}
        data={taskFilters.map((f) => ({ value: f, label: t(`tasks.filters.${f}`) }))}
        maw={240}
        data-task-filter
      />
      <QueryState query={list}>{(data) => <TasksTable tasks={data.items} />}</QueryState>
    </Stack>
  );
}

function TasksTable({ tasks }: { tasks: Task[] }) {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const cancel = useDialogChange(
    (task: Task) => api<Task>(`/tasks/${encodeURIComponent(task.id)}/cancel`, { method: 'POST' }),
    [tasksKey],
  );
  if (tasks.length === 0) return <Text c="gray.7">{t('tasks.empty')}</Text>;
  const when = (task: Task, at: number | null) =>
    at === null ? '—' : formatDateTime(i18n.language, at, zones.ofSite(task.siteId));
  const who = (task: Task) => task.personName ?? t('tasks.hidden');
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('tasks.title')}>
      <Table striped data-tasks>
        <Table.Thead>
          <Table.Tr>
            {(['who', 'what', 'device', 'station', 'door', 'state', 'created', 'done', 'actions'] as const).map((c) => (
              <Table.Th key={c}>{t(`tasks.columns.${c}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} who={who(task)} when={(at) => when(task, at)} onCancel={() => cancel.open(task)} />
          ))}
        </Table.Tbody>
      </Table>
      {cancel.value && (
        <ConfirmDialog
          title={t('tasks.cancelTitle')}
          body={t('tasks.cancelBody', { who: who(cancel.value) })}
          confirmLabel={t('tasks.cancelConfirm')}
          change={cancel}
        />
      )}
    </div>
  );
}

/** One task: who, what, where, which door, its state, when it was created (and by whom) and done. */
function TaskRow({ task, who, when, onCancel }: { task: Task; who: string; when(at: number | null): string; onCancel(): void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <Table.Tr data-task={task.id} data-state={task.state}>
      <Table.Td>{who}</Table.Td>
      <Table.Td className="nowrap">{t(`tasks.kindShort.${task.kind}`)}</Table.Td>
      <Table.Td className="nowrap">{task.assetTag ?? '—'}</Table.Td>
      <Table.Td>
        {task.stationName}
        <Text fz="xs" c="gray.7">
          {task.siteName}
        </Text>
      </Table.Td>
      <Table.Td>{task.compartment ?? '—'}</Table.Td>
      <Table.Td>
        <Badge variant="filled" color={task.state === 'done' ? '#1b6e2f' : task.state === 'cancelled' ? 'gray.8' : 'blue.9'}>
          {t(`tasks.states.${task.state}`)}
        </Badge>
      </Table.Td>
      <Table.Td className="nowrap">
        {when(task.createdAt)}
        {task.createdBy && (
          <Text fz="xs" c="gray.7">
            {t('tasks.createdBy', { who: task.createdBy })}
          </Text>
        )}
      </Table.Td>
      <Table.Td className="nowrap">{when(task.doneAt ?? task.cancelledAt)}</Table.Td>
      <Table.Td>
        {can('station:operate') && (task.state === 'awaiting_load' || task.state === 'ready') && (
          <Button size="xs" variant="default" color="red" onClick={onCancel} data-cancel-task>
            {t('tasks.cancel')}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

interface Form {
  kind: TaskKind;
  personId: string | null;
  stationId: string;
  assetTag: string;
  note: string;
}

/** "New task" (station:operate): the person by search, the station, the device by its tag. */
function CreateTask() {
  const { t } = useTranslation();
  const { can } = useSession();
  const stations = useStations();
  const change = useDialogChange(
    (form: Form) =>
      api<Task>('/tasks', {
        method: 'POST',
        body: {
          kind: form.kind,
          personId: form.personId,
          stationId: form.stationId,
          ...(form.assetTag.trim() ? { assetTag: form.assetTag.trim() } : {}),
          ...(form.note.trim() ? { note: form.note.trim() } : {}),
        },
      }),
    [tasksKey],
  );
  const [missing, setMissing] = useState(false);
  // The person is found by name (GET /people): without people:read there is nobody to pick.
  if (!can('station:operate') || !can('people:read')) return null;
  const stationOptions = (stations.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  const form = change.value;
  return (
    <>
      <Button
        onClick={() => (
          setMissing(false),
          change.open({ kind: 'pick_up', personId: null, stationId: stationOptions[0]?.value ?? '', assetTag: '', note: '' })
        )}
        data-new-task
      >
        {t('tasks.create')}
      </Button>
      {form && (
        <FormDialog
          title={t('tasks.createTitle')}
          submitLabel={t('tasks.createSubmit')}
          change={change}
          onSubmit={() => (form.personId && form.stationId ? change.submit() : setMissing(true))}
        >
          <NativeSelect
            label={t('tasks.kind')}
            value={form.kind}
            onChange={(e) => change.setValue({ ...form, kind: e.currentTarget.value as TaskKind })}
            data={taskKinds.map((k) => ({ value: k, label: t(`tasks.kinds.${k}`) }))}
            data-task-kind
          />
          <PersonPicker
            value={form.personId}
            error={missing && !form.personId ? t('tasks.pickPerson') : undefined}
            onChange={(personId) => change.setValue({ ...form, personId })}
          />
          <NativeSelect
            label={t('tasks.station')}
            value={form.stationId}
            onChange={(e) => change.setValue({ ...form, stationId: e.currentTarget.value })}
            data={stationOptions}
            required
            data-task-station
          />
          <TextInput
            label={t('tasks.assetTag')}
            description={form.kind === 'pick_up' ? t('tasks.assetTagPickUp') : t('tasks.assetTagDropOff')}
            value={form.assetTag}
            required={form.kind === 'pick_up'}
            maxLength={64}
            onChange={(e) => change.setValue({ ...form, assetTag: e.currentTarget.value })}
            data-task-asset-tag
          />
          <Textarea
            label={t('tasks.note')}
            value={form.note}
            autosize
            minRows={2}
            maxLength={500}
            onChange={(e) => change.setValue({ ...form, note: e.currentTarget.value })}
          />
        </FormDialog>
      )}
    </>
  );
}

/** A student or staff member by name or number, searched on the server as it is typed (GET /people?q=). */
function PersonPicker({ value, error, onChange }: { value: string | null; error?: string; onChange(id: string | null): void }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q] = useDebouncedValue(typed.trim(), 200);
  const found = useQuery({
    queryKey: ['list', 'people', 'task', q],
    queryFn: () => api<Page<Person>>(`/people${queryString({ active: true, q, limit: 20 })}`),
    enabled: q.length >= 2,
  });
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const options = (found.data?.items ?? []).map((p) => ({
    value: p.id,
    label: `${p.givenName} ${p.familyName}${p.studentNumber ? ` · ${p.studentNumber}` : ''}`,
  }));
  if (picked && !options.some((o) => o.value === picked.value)) options.unshift(picked);
  return (
    <Select
      label={t('tasks.person')}
      placeholder={t('tasks.personHint')}
      searchable
      required
      data={options}
      value={value}
      searchValue={typed}
      onSearchChange={setTyped}
      filter={({ options: all }) => all}
      nothingFoundMessage={q.length >= 2 && !found.isPending ? t('tasks.noPeople') : undefined}
      onChange={(id, option) => {
        setPicked(option ?? null);
        onChange(id);
      }}
      error={error}
      comboboxProps={{ withinPortal: true }}
      data-person-picker
    />
  );
}
