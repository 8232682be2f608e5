import {
  Button,
  Center,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, apiBase, queryString } from '../api.js';
import type { Page } from '@cubby/protocol/api';
import type { Row } from '../types.js';
import { useSession } from '../session.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { effectiveChoice, rememberChoice, rememberedChoice } from './list-choice.js';
import { renderCell, type ListDef } from './list-def.js';
import { useRenderContext, useSites, useStations } from './reference.js';

const pageSize = 50;

/**
 * A searchable, filterable, sortable list, paged on the server with its
 * cursors. Search, filters, view and sort live in the address, so a list can
 * be bookmarked and shared; "Export CSV" is the same query with format=csv.
 */
export function ListPage({ def }: { def: ListDef }) {
  const { t } = useTranslation();
  const title = t(def.title);
  usePageTitle(title);
  const [search, setSearch] = useSearchParams();
  const sites = useSites();
  const stations = useStations();
  const { can } = useSession();
  const columns = def.columns.filter((col) => !col.needs || col.needs.some(can));

  const [remembered, setRemembered] = useState(() => rememberedChoice(def));
  const { view, sort, order } = effectiveChoice(def, search, remembered);
  const filters = def.filters.filter((f) => !f.views || (view && f.views.includes(view.key)));
  const params: Record<string, string> = { ...(view?.params ?? {}) };
  if (sort) params.sort = sort;
  if (order) params.order = order;
  for (const key of ['q', ...filters.map((f) => f.param)]) {
    const value = search.get(key);
    if (value) params[key] = value;
  }
  const paramsKey = JSON.stringify(params);
  // Ticked rows (bulk actions): by id, with the row as it was listed; a new query starts over.
  const selectable = def.selectable && can(def.selectable.permission) ? def.selectable : null;
  const [ticked, setTicked] = useState<Map<string, Row>>(new Map());
  useEffect(() => setTicked(new Map()), [paramsKey]);
  const rowId = (row: Row) => String(row[def.rowKey ?? 'id']);
  const tick = (rows: Row[], on: boolean) =>
    setTicked((before) => {
      const next = new Map(before);
      for (const row of rows) {
        if (on) next.set(rowId(row), row);
        else next.delete(rowId(row));
      }
      return next;
    });

  // Cursors of the pages before this one, so "Previous" can go back; a new query starts over.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => setCursors([null]), [paramsKey]);
  const cursor = cursors[cursors.length - 1] ?? null;

  const list = useQuery({
    queryKey: ['list', def.resource, params, cursor],
    queryFn: () => api<Page<Row>>(`/${def.resource}${queryString({ ...params, limit: pageSize, cursor })}`),
    placeholderData: keepPreviousData,
  });

  const [typed, setTyped] = useState(search.get('q') ?? '');
  useEffect(() => {
    const timer = setTimeout(() => update({ q: typed.trim() }), 300);
    return () => clearTimeout(timer);
  }, [typed]);

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(search);
    let changed = false;
    for (const [key, value] of Object.entries(changes)) {
      if ((next.get(key) ?? '') === value) continue;
      changed = true;
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (changed) setSearch(next, { replace: true });
  }

  const context = useRenderContext();

  const optionsOf = (options: ListDef['filters'][number]['options']) =>
    options === 'sites'
      ? (sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))
      : options === 'stations'
        ? (stations.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))
        : options.map((o) => ({ value: o.value, label: t(o.label) }));

  const sortBy = (column: string) => {
    const next = params.sort === column && params.order !== 'desc' ? 'desc' : 'asc';
    setRemembered(rememberChoice(def, { sort: column, order: next }));
    update({ sort: column, order: next });
  };
  const showView = (key: string) => {
    setRemembered(rememberChoice(def, { view: key }));
    update({ view: key === def.views![0]!.key ? '' : key });
  };
  const csvHref = `${apiBase}/${def.resource}${queryString({ ...params, format: 'csv' })}`;

  return (
    <Stack gap="md" data-page={def.path}>
      <Group justify="space-between" align="center">
        <Title order={1} id="list-title">
          {title}
        </Title>
        <Group gap="xs">
          {def.actions && <def.actions />}
          <Button component="a" href={csvHref} download variant="default" data-export>
            {t('list.exportCsv')}
          </Button>
        </Group>
      </Group>
      {def.views && view && (
        <SegmentedControl
          aria-label={t('loans.view')}
          value={view.key}
          onChange={showView}
          data={def.views.map((v) => ({ value: v.key, label: t(v.label) }))}
          w="fit-content"
          color="blue"
        />
      )}
      <Group gap="sm" align="flex-end" role="search">
        <TextInput
          label={t('list.search')}
          description={t(def.searchHint)}
          placeholder={t('list.searchPlaceholder')}
          type="search"
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          w={280}
        />
        {filters.map((filter) => (
          <NativeSelect
            key={filter.param}
            label={t(filter.label)}
            value={params[filter.param] ?? ''}
            onChange={(e) => update({ [filter.param]: e.currentTarget.value })}
            data={[{ value: '', label: t('list.all') }, ...optionsOf(filter.options)]}
            w={200}
          />
        ))}
      </Group>
      {/* Times wait for the campuses' time zones, so none is first drawn in the browser's. */}
      <QueryState query={list}>
        {(page) =>
          sites.isPending ? (
            <Center>
              <Loader />
            </Center>
          ) : (
            <>
              {selectable && ticked.size > 0 && (
                <Group gap="sm" className="bulk-bar" role="region" aria-label={t('list.selection', { count: ticked.size })}>
                  <Text fw={600}>{t('list.selection', { count: ticked.size })}</Text>
                  <selectable.actions rows={[...ticked.values()]} clear={() => setTicked(new Map())} />
                  <Button variant="subtle" onClick={() => setTicked(new Map())}>
                    {t('list.clearSelection')}
                  </Button>
                </Group>
              )}
              <div className="table-scroll" tabIndex={0}>
                <Table
                  striped
                  highlightOnHover
                  verticalSpacing="xs"
                  aria-labelledby="list-title"
                  miw={760}
                  data-rows={page.items.length}
                  // While the next page loads the previous one stays on screen, marked busy (not yet the page the footer names).
                  aria-busy={list.isPlaceholderData}
                >
                  <Table.Thead>
                    <Table.Tr>
                      {selectable && (
                        <Table.Th scope="col" w={40}>
                          <Checkbox
                            aria-label={t('list.selectPage')}
                            checked={page.items.length > 0 && page.items.every((r) => ticked.has(rowId(r)))}
                            indeterminate={
                              page.items.some((r) => ticked.has(rowId(r))) && !page.items.every((r) => ticked.has(rowId(r)))
                            }
                            onChange={(e) => tick(page.items, e.currentTarget.checked)}
                          />
                        </Table.Th>
                      )}
                      {columns.map((col) => {
                        const sorted =
                          col.sort && params.sort === col.sort
                            ? params.order === 'desc'
                              ? 'descending'
                              : 'ascending'
                            : undefined;
                        return (
                          <Table.Th
                            key={col.key}
                            scope="col"
                            ta={col.align}
                            aria-sort={sorted ?? (col.sort ? 'none' : undefined)}
                          >
                            {col.sort ? (
                              <button type="button" className="sort-button" onClick={() => sortBy(col.sort!)}>
                                {t(col.label)}
                                <span aria-hidden="true">
                                  {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}
                                </span>
                              </button>
                            ) : (
                              t(col.label)
                            )}
                          </Table.Th>
                        );
                      })}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((row, i) => (
                      <Table.Tr key={String(row[def.rowKey ?? 'id'] ?? i)}>
                        {selectable && (
                          <Table.Td>
                            <Checkbox
                              aria-label={t('list.selectRow', { name: selectable.label(row) })}
                              checked={ticked.has(rowId(row))}
                              onChange={(e) => tick([row], e.currentTarget.checked)}
                            />
                          </Table.Td>
                        )}
                        {columns.map((col) => (
                          <Table.Td key={col.key} ta={col.align}>
                            {renderCell(col, row, context)}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
              {page.items.length === 0 && <Text c="gray.7">{t('list.empty')}</Text>}
              <Group justify="space-between">
                <Text c="gray.7" fz="sm" role="status">
                  {t('list.pageN', { n: cursors.length })} · {t('list.rows', { count: page.items.length })}
                </Text>
                <Group gap="sm">
                  <Button variant="default" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                    {t('list.previous')}
                  </Button>
                  <Button
                    variant="default"
                    disabled={!page.nextCursor}
                    onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])}
                  >
                    {t('list.next')}
                  </Button>
                </Group>
              </Group>
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
