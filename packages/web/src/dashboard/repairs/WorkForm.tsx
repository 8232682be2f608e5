import { Button, Group, NativeSelect, NumberInput, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { boardKey, ticketKey } from './moves.js';
import type { RepairBoard, RepairChange, RepairTicketDetail } from '@cubby/protocol/api';
import { api } from '../api.js';
import { useChange } from '../settings/settings-ui.js';
import { ChangeError } from '../ui/Dialog.js';

interface Work {
  notes: string;
  parts: string;
  cost: number | string;
  vendorRef: string;
  technicianId: string;
}

const workOf = (ticket: RepairTicketDetail): Work => ({
  notes: ticket.notes,
  parts: ticket.parts,
  cost: ticket.costCents === null ? '' : ticket.costCents / 100,
  vendorRef: ticket.vendorRef ?? '',
  technicianId: ticket.technicianId ?? '',
});

/**
 * The form's values: a field the user has not touched follows the ticket when
 * it changes elsewhere (the live feed refetches it), so saving never writes
 * back someone else's old value; a field being typed in is kept.
 */
function useWorkOf(ticket: RepairTicketDetail): [Work, (work: Work) => void] {
  const [work, setWork] = useState<Work>(() => workOf(ticket));
  // What the form last took from the server.
  const [base, setBase] = useState<Work>(() => workOf(ticket));
  const current = JSON.stringify(workOf(ticket));
  useEffect(() => {
    const next = JSON.parse(current) as Work;
    setWork((mine) => {
      const merged = { ...mine };
      for (const field of Object.keys(next) as (keyof Work)[])
        if (String(mine[field]) === String(base[field])) (merged as Record<keyof Work, unknown>)[field] = next[field];
      return merged;
    });
    setBase(next);
    // `base` is read, not watched: only a new server value merges.
  }, [current]);
  return [work, setWork];
}

/** Notes, parts, cost and the vendor's RMA reference (PATCH /repairs/:id): only what changed is sent. */
export function WorkForm({ ticket, editable }: { ticket: RepairTicketDetail; editable: boolean }) {
  const { t } = useTranslation();
  const [work, setWork] = useWorkOf(ticket);
  const [saved, setSaved] = useState(false);
  // The board's technicians, for the assignment (the same query the board reads).
  const board = useQuery({
    queryKey: [...boardKey, {}],
    queryFn: () => api<RepairBoard>('/repairs/board'),
    enabled: editable,
    staleTime: 60_000,
  });
  const technicians = board.data?.technicians ?? [];
  const save = useChange(
    (body: RepairChange) => api<RepairTicketDetail>(`/repairs/${encodeURIComponent(ticket.id)}`, { method: 'PATCH', body }),
    [ticketKey(ticket.id), ['repairs', 'board']],
    () => setSaved(true),
  );
  const set = (changes: Partial<Work>) => (setSaved(false), setWork({ ...work, ...changes }));
  const before = workOf(ticket);
  const body: RepairChange = {};
  if (work.notes !== before.notes) body.notes = work.notes;
  if (work.parts !== before.parts) body.parts = work.parts;
  if (String(work.cost) !== String(before.cost)) body.costCents = work.cost === '' ? null : Math.round(Number(work.cost) * 100);
  if (work.vendorRef.trim() !== before.vendorRef) body.vendorRef = work.vendorRef.trim() || null;
  if (work.technicianId !== before.technicianId) body.technicianId = work.technicianId || null;
  const changed = Object.keys(body).length > 0;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ticket-work" data-work>
      <Title order={2} fz="h3" id="ticket-work" mb="sm">
        {t('repairDesk.ticket.work')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (changed) save.mutate(body);
        }}
      >
        <Stack gap="sm" maw={720}>
          <ChangeError error={save.error} />
          <Textarea
            label={t('repairDesk.ticket.notes')}
            description={t('repairDesk.ticket.notesHint')}
            value={work.notes}
            onChange={(e) => set({ notes: e.currentTarget.value })}
            autosize
            minRows={3}
            maxLength={2000}
            readOnly={!editable}
          />
          <TextInput
            label={t('repairDesk.ticket.parts')}
            description={t('repairDesk.ticket.partsHint')}
            value={work.parts}
            onChange={(e) => set({ parts: e.currentTarget.value })}
            maxLength={2000}
            readOnly={!editable}
          />
          <Group gap="sm" align="flex-start" grow preventGrowOverflow={false}>
            <NumberInput
              label={t('repairDesk.ticket.cost')}
              description={t('repairDesk.ticket.costHint')}
              value={work.cost}
              onChange={(value) => set({ cost: value })}
              min={0}
              max={1_000_000}
              decimalScale={2}
              fixedDecimalScale
              prefix="$"
              thousandSeparator=","
              readOnly={!editable}
              miw={180}
            />
            <TextInput
              label={t('repairDesk.ticket.vendorRef')}
              description={t('repairDesk.ticket.vendorRefHint')}
              value={work.vendorRef}
              onChange={(e) => set({ vendorRef: e.currentTarget.value })}
              maxLength={100}
              readOnly={!editable}
              miw={180}
            />
            {editable && (
              <NativeSelect
                label={t('repairDesk.board.technician')}
                description={t('repairDesk.ticket.technicianHint')}
                value={work.technicianId}
                onChange={(e) => set({ technicianId: e.currentTarget.value })}
                data={[
                  { value: '', label: t('repairDesk.ticket.unassigned') },
                  ...technicians.map((u) => ({ value: u.id, label: u.name })),
                  ...(work.technicianId && !technicians.some((u) => u.id === work.technicianId)
                    ? [{ value: work.technicianId, label: ticket.technicianName ?? '—' }]
                    : []),
                ]}
                miw={180}
              />
            )}
          </Group>
          {editable && (
            <Group gap="sm">
              <Button type="submit" loading={save.isPending} disabled={!changed}>
                {t('repairDesk.ticket.save')}
              </Button>
              <Text role="status" fz="sm" fw={600} c="#1e6b34">
                {saved && !changed ? t('repairDesk.ticket.saved') : ''}
              </Text>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
