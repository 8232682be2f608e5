import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { repairStatuses, repairSymptoms } from '@cubby/core/enumerations';
import type { RepairStatus } from '@cubby/core';
import { api, queryString } from '../api.js';
import { useRenderContext, useSites } from '../lists/reference.js';
import { useSession } from '../session.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { BoardCard, useMove, type DragState } from './BoardCard.js';
import { boardKey, moveBetween } from './moves.js';
import { OpenTicket } from './OpenTicket.js';
import { TurnaroundHeader } from './Turnaround.js';
import type { RepairBoard } from '@cubby/protocol/api';

const filterParams = ['siteId', 'model', 'symptom', 'technicianId', 'minAgeDays'] as const;
const ages = [1, 3, 7, 14, 30];

/**
 * The repair board (GET /repairs/board): one column per ticket step, each
 * card's age in its step, filters in the address, the turnaround on top.
 * A card moves by its button (keyboard) or by dragging it onto a column
 * where that move is legal; the server checks every move again.
 */
export function BoardPage() {
  const { t } = useTranslation();
  usePageTitle(t('repairDesk.board.title'));
  const [search, setSearch] = useSearchParams();
  const params: Record<string, string> = {};
  for (const key of filterParams) {
    const value = search.get(key);
    if (value) params[key] = value;
  }
  const board = useQuery({
    queryKey: [...boardKey, params],
    queryFn: () => api<RepairBoard>(`/repairs/board${queryString(params)}`),
    placeholderData: keepPreviousData,
  });
  // From the address as last changed, not as this render saw it: two quick changes both stick.
  const latest = useRef(search);
  latest.current = search;
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(latest.current);
    if (value) next.set(key, value);
    else next.delete(key);
    latest.current = next;
    setSearch(next, { replace: true });
  };
  return (
    <Stack gap="md" data-page="repair-board">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('repairDesk.board.title')}</Title>
        <Group gap="xs">
          <Button component={Link} to="/repairs" variant="default">
            {t('repairDesk.board.list')}
          </Button>
          <OpenTicket />
        </Group>
      </Group>
      <Text c="gray.7">{t('repairDesk.board.intro')}</Text>
      <QueryState query={board}>
        {(data) => (
          <>
            <TurnaroundHeader board={data} />
            <Filters board={data} params={params} update={update} />
            <Columns board={data} busy={board.isPlaceholderData} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function Filters({
  board,
  params,
  update,
}: {
  board: RepairBoard;
  params: Record<string, string>;
  update(key: string, value: string): void;
}) {
  const { t } = useTranslation();
  const sites = useSites();
  const all = { value: '', label: t('repairDesk.board.all') };
  const models = [...board.models];
  if (params.model && !models.includes(params.model)) models.push(params.model);
  const technicians = board.technicians;
  return (
    <Group gap="sm" align="flex-end" role="search" aria-label={t('repairDesk.board.filters')}>
      <NativeSelect
        label={t('repairDesk.board.campus')}
        value={params.siteId ?? ''}
        onChange={(e) => update('siteId', e.currentTarget.value)}
        data={[all, ...(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))]}
        w={190}
      />
      <NativeSelect
        label={t('repairDesk.board.model')}
        value={params.model ?? ''}
        onChange={(e) => update('model', e.currentTarget.value)}
        data={[all, ...models.map((m) => ({ value: m, label: m }))]}
        w={190}
      />
      <NativeSelect
        label={t('repairDesk.board.symptom')}
        value={params.symptom ?? ''}
        onChange={(e) => update('symptom', e.currentTarget.value)}
        data={[all, ...repairSymptoms.map((s) => ({ value: s, label: t(`repairs.symptoms.${s}`) }))]}
        w={170}
      />
      <NativeSelect
        label={t('repairDesk.board.technician')}
        value={params.technicianId ?? ''}
        onChange={(e) => update('technicianId', e.currentTarget.value)}
        data={[all, ...technicians.map((u) => ({ value: u.id, label: u.name }))]}
        w={170}
      />
      <NativeSelect
        label={t('repairDesk.board.minAge')}
        value={params.minAgeDays ?? ''}
        onChange={(e) => update('minAgeDays', e.currentTarget.value)}
        data={[
          { value: '', label: t('repairDesk.board.anyAge') },
          ...ages.map((n) => ({ value: String(n), label: t('repairDesk.board.ageDays', { count: n }) })),
        ]}
        w={190}
      />
    </Group>
  );
}

function Columns({ board, busy }: { board: RepairBoard; busy: boolean }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const { can } = useSession();
  const move = useMove();
  const [drag, setDrag] = useState<DragState | null>(null);
  const [over, setOver] = useState<RepairStatus | null>(null);
  const columns = repairStatuses.map((status) => ({
    status,
    cards: board.columns.find((c) => c.status === status)?.cards ?? [],
  }));
  const legal = (status: RepairStatus) => (drag ? moveBetween(drag.status, status) : null);
  return (
    <>
      <div
        className="board-scroll"
        role="region"
        aria-label={t('repairDesk.board.title')}
        tabIndex={0}
        aria-busy={busy || move.pending}
        data-dragging={drag ? drag.status : undefined}
      >
        <div className="board">
          {columns.map(({ status, cards }) => {
            const dropMove = legal(status);
            return (
              <section
                key={status}
                className="board-column"
                aria-labelledby={`column-${status}`}
                data-column={status}
                data-drop={dropMove ? (over === status ? 'over' : 'legal') : undefined}
                onDragOver={(e) => {
                  if (!dropMove) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  if (over !== status) setOver(status);
                }}
                onDragLeave={() => over === status && setOver(null)}
                onDrop={(e) => {
                  e.preventDefault();
                  setOver(null);
                  const card = drag;
                  setDrag(null);
                  if (!card || !dropMove) return;
                  move.run(card.card, dropMove);
                }}
              >
                <header className="board-column-head">
                  <Title order={2} fz="md" id={`column-${status}`}>
                    {t(`repairs.statuses.${status}`)}
                  </Title>
                  <Badge
                    variant="filled"
                    color="gray.8"
                    aria-label={t('repairDesk.board.column', { status: t(`repairs.statuses.${status}`), count: cards.length })}
                  >
                    {cards.length}
                  </Badge>
                </header>
                {dropMove && (
                  <Text fz="sm" fw={600} c="blue.9" className="board-drop-hint">
                    {t('repairDesk.board.dragHint', { status: t(`repairs.statuses.${status}`) })}
                  </Text>
                )}
                <Stack gap="xs" component="ul" className="board-cards">
                  {cards.length === 0 && (
                    <Text component="li" c="gray.7" fz="sm">
                      {t('repairDesk.board.empty')}
                    </Text>
                  )}
                  {cards.map((card) => (
                    <BoardCard
                      key={card.id}
                      card={card}
                      ctx={ctx}
                      canMove={can('repairs:write')}
                      move={move}
                      onDragStart={() => setDrag({ card, status: card.status })}
                      onDragEnd={() => (setDrag(null), setOver(null))}
                    />
                  ))}
                </Stack>
              </section>
            );
          })}
        </div>
      </div>
      <Status message={move.message} />
      {move.dialog}
    </>
  );
}

/** What the last move did, or why it was refused (a polite live region that stays in the page). */
function Status({ message }: { message: string | null }) {
  return (
    <Paper withBorder p="xs" role="status" className="board-status" data-move-status hidden={!message}>
      <Text fz="sm" fw={600}>
        {message}
      </Text>
    </Paper>
  );
}
