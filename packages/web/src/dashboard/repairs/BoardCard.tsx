import { Anchor, Button, Group, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RepairStatus } from '@cubby/core';
import { api } from '../api.js';
import type { RenderContext } from '../lists/list-def.js';
import { ConfirmDialog } from '../settings/settings-ui.js';
import { useProblemMessage } from '../ui/QueryState.js';
import { ageParts, moveTo, nextMove, type DashboardMove } from './moves.js';
import type { RepairCard } from '@cubby/protocol/api';

export interface DragState {
  card: RepairCard;
  status: RepairStatus;
}

/** "5 h", "3 days". */
export function useAge(): (ms: number) => string {
  const { t } = useTranslation();
  return (ms) => {
    const { unit, count } = ageParts(ms);
    return t(`repairDesk.age.${unit}`, { count });
  };
}

export interface Move {
  run(card: Pick<RepairCard, 'id' | 'assetTag' | 'status'>, move: DashboardMove): void;
  pending: boolean;
  /** What the last move did or why it was refused, announced. */
  message: string | null;
  /** The state the last move went to (null: none, or refused). */
  movedTo: RepairStatus | null;
  dialog: ReactNode;
}

/**
 * A ticket's move (POST /repairs/:id/move), from a card's button or a drop;
 * retiring asks first. Every repairs query is read again afterwards.
 */
export function useMove(): Move {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const queries = useQueryClient();
  // Kept as what happened, worded at each render: a switch of language rewords it too.
  const [outcome, setOutcome] = useState<{ moved: { assetTag: string; to: RepairStatus } } | { error: unknown } | null>(null);
  const [confirm, setConfirm] = useState<Pick<RepairCard, 'id' | 'assetTag' | 'status'> | null>(null);
  const mutation = useMutation({
    mutationFn: ({ card, move }: { card: Pick<RepairCard, 'id' | 'assetTag' | 'status'>; move: DashboardMove }) =>
      api(`/repairs/${encodeURIComponent(card.id)}/move`, { method: 'POST', body: { event: move, from: card.status } }),
    onSuccess: async (_, { card, move }) => {
      setConfirm(null);
      const to = moveTo(card.status, move)!;
      setOutcome({ moved: { assetTag: card.assetTag, to } });
      await Promise.all([
        queries.invalidateQueries({ queryKey: ['repairs'] }),
        queries.invalidateQueries({ queryKey: ['list', 'repair-tickets'] }),
      ]);
    },
    onError: (error) => setOutcome({ error }),
  });
  const run: Move['run'] = (card, move) => {
    if (move === 'retire') {
      mutation.reset();
      setConfirm(card);
      return;
    }
    mutation.mutate({ card, move });
  };
  const dialog = confirm && (
    <ConfirmDialog
      title={t('repairDesk.moves.retireTitle', { assetTag: confirm.assetTag })}
      body={t('repairDesk.moves.retireBody')}
      confirmLabel={t('repairDesk.moves.retire')}
      change={{
        pending: mutation.isPending,
        error: mutation.error,
        close: () => setConfirm(null),
        submit: () => mutation.mutate({ card: confirm, move: 'retire' }),
      }}
    />
  );
  const message =
    outcome === null
      ? null
      : 'moved' in outcome
        ? t('repairDesk.board.moved', {
            assetTag: outcome.moved.assetTag,
            status: t(`repairs.statuses.${outcome.moved.to}`),
          })
        : problem(outcome.error);
  const movedTo = outcome !== null && 'moved' in outcome ? outcome.moved.to : null;
  return { run, pending: mutation.isPending, message, movedTo, dialog };
}

/** One ticket on the board: what it is, whose, where, how long in its step, and its next step. */
export function BoardCard({
  card,
  ctx,
  canMove,
  move,
  onDragStart,
  onDragEnd,
}: {
  card: RepairCard;
  ctx: RenderContext;
  canMove: boolean;
  move: Move;
  onDragStart(): void;
  onDragEnd(): void;
}) {
  const { t } = useTranslation();
  const age = useAge();
  const next = canMove ? nextMove(card.status) : null;
  const draggable = canMove && card.status !== 'closed' && card.status !== 'retired';
  return (
    <li
      className="board-card"
      data-card={card.assetTag}
      data-status={card.status}
      draggable={draggable}
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', card.id);
        onDragStart();
      }}
      onDragEnd={onDragEnd}
    >
      <Group justify="space-between" gap={4} wrap="nowrap" align="baseline">
        <Anchor component={Link} to={`/repairs/${encodeURIComponent(card.id)}`} c="blue.9" fw={800} fz="md">
          {card.assetTag}
        </Anchor>
        <Text
          fz="xs"
          fw={700}
          c="dark.6"
          className="nowrap"
          data-age
          title={t('repairDesk.board.ageInState', { age: age(card.ageMs) })}
        >
          <span aria-hidden="true">{age(card.ageMs)}</span>
          <VisuallyHidden>{t('repairDesk.board.ageInState', { age: age(card.ageMs) })}</VisuallyHidden>
        </Text>
      </Group>
      <Text fz="sm" c="dark.7">
        {card.model}
      </Text>
      <Text fz="sm" fw={600}>
        {card.personName ?? t('repairDesk.board.noStudent')}
      </Text>
      <Text fz="sm">
        {t(`repairs.symptoms.${card.symptom}`)} · {card.campusName ?? ctx.siteName(card.siteId)}
      </Text>
      {card.technicianName && (
        <Text fz="xs" c="dark.6">
          {t('repairDesk.board.technician')}: {card.technicianName}
        </Text>
      )}
      {next && (
        <Button
          size="xs"
          mt={4}
          variant="filled"
          color="blue.9"
          loading={move.pending}
          onClick={() => move.run(card, next)}
          data-move={next}
          aria-label={`${t(`repairDesk.moves.${next}`)}: ${card.assetTag}`}
        >
          {t(`repairDesk.moves.${next}`)} →
        </Button>
      )}
      {canMove && !next && card.status !== 'closed' && card.status !== 'retired' && (
        <Text fz="xs" c="dark.6" fs="italic">
          {t('repairDesk.board.atLocker')}
        </Text>
      )}
    </li>
  );
}
