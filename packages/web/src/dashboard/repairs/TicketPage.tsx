import {
  Anchor,
  Badge,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { RepairBoard, RepairChange, RepairTicketDetail } from '@cubby/protocol/api';
import { api, ApiError } from '../api.js';
import { PageLink } from '../lists/list-defs.js';
import { useRenderContext } from '../lists/reference.js';
import { useSession } from '../session.js';
import { useChange } from '../settings/settings-ui.js';
import { Facts } from '../ui/Facts.js';
import { formatDate, formatDateTime } from '../ui/format.js';
import { NotFound } from '../ui/NoAccess.js';
import { usePageTitle } from '../ui/page-title.js';
import { ChangeError } from '../ui/Dialog.js';
import { QueryState } from '../ui/QueryState.js';
import { useMove } from './BoardCard.js';
import { boardKey } from './BoardPage.js';
import { Photos } from './Photos.js';

export const ticketKey = (id: string) => ['repairs', 'ticket', id];

/**
 * One repair ticket (GET /repairs/:id; 404 outside the user's campuses): the
 * device and its warranty, the student, the symptom, the technician's work
 * (notes, parts, cost, vendor/RMA reference), every step with who and when,
 * photos, the swap → loaner → pickup links, and the next moves.
 */
export function TicketPage() {
  const { ticketId = '' } = useParams();
  const ticket = useQuery({
    queryKey: ticketKey(ticketId),
    queryFn: () => api<RepairTicketDetail>(`/repairs/${encodeURIComponent(ticketId)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  if (ticket.error instanceof ApiError && (ticket.error.status === 404 || ticket.error.status === 400)) return <NotFound />;
  return <QueryState query={ticket}>{(data) => <Ticket ticket={data} />}</QueryState>;
}

function Ticket({ ticket }: { ticket: RepairTicketDetail }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const { can } = useSession();
  const { device, person } = ticket;
  usePageTitle(t('repairDesk.ticket.title', { assetTag: device.assetTag }));
  const zone = ticket.timeZone;
  const reportedWhere = ticket.links.swap
    ? t('repairDesk.ticket.atStation', { station: ticket.links.swap.stationName ?? '—' })
    : ticket.openedBy
      ? t('repairDesk.ticket.byHand')
      : null;
  return (
    <Stack gap="lg" data-page="repair-ticket" data-ticket={ticket.id} data-status={ticket.status}>
      <Anchor component={Link} to="/repairs/board" c="blue.9" fw={600} w="fit-content">
        ← {t('repairDesk.ticket.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1}>{t('repairDesk.ticket.title', { assetTag: device.assetTag })}</Title>
          <Badge variant="filled" color="blue.9" data-ticket-status={ticket.status}>
            {t(`repairs.statuses.${ticket.status}`)}
          </Badge>
          <WarrantyBadge ticket={ticket} />
        </Group>
        {can('repairs:write') && <Moves ticket={ticket} />}
      </Group>
      <Paper withBorder p="md" component="section" aria-labelledby="ticket-facts">
        <Title order={2} fz="h3" id="ticket-facts" mb="sm">
          {t('repairDesk.ticket.device')}
        </Title>
        <Facts
          items={[
            [
              t('repairDesk.ticket.device'),
              <PageLink to={`/devices/${encodeURIComponent(device.id)}`}>{device.assetTag}</PageLink>,
            ],
            [t('devices.model'), device.model],
            [t('devices.serial'), device.serial ?? '—'],
            [
              t('device.warranty'),
              device.warrantyEndsAt === null
                ? t('repairDesk.ticket.warrantyUnknown')
                : t(device.warranty === 'in' ? 'repairDesk.ticket.warrantyUntil' : 'repairDesk.ticket.warrantyEnded', {
                    date: formatDate(ctx.language, device.warrantyEndsAt, zone),
                  }),
            ],
            [
              t('repairDesk.ticket.student'),
              person === null ? (
                t('repairDesk.board.noStudent')
              ) : person.name ? (
                <PageLink to={`/people/${encodeURIComponent(person.id)}`}>{person.name}</PageLink>
              ) : (
                t('device.ownerHidden')
              ),
            ],
            [t('repairDesk.ticket.campus'), ticket.campusName ?? ctx.siteName(ticket.siteId)],
            [t('repairDesk.ticket.symptom'), t(`repairs.symptoms.${ticket.symptom}`)],
            [
              t('repairDesk.ticket.reportedAt'),
              [formatDateTime(ctx.language, ticket.reportedAt, zone), reportedWhere].filter(Boolean).join(' · '),
            ],
          ]}
        />
      </Paper>
      <WorkForm ticket={ticket} editable={can('repairs:write')} />
      <Steps ticket={ticket} />
      <Photos ticket={ticket} canUpload={can('repairs:write')} />
      <Links ticket={ticket} />
    </Stack>
  );
}

function WarrantyBadge({ ticket }: { ticket: RepairTicketDetail }) {
  const { t } = useTranslation();
  const w = ticket.device.warranty;
  return (
    <Badge
      variant={w === 'unknown' ? 'outline' : 'filled'}
      color={w === 'in' ? '#1e6b34' : w === 'out' ? 'red.9' : 'gray.8'}
      data-warranty={w}
    >
      {t(
        w === 'in'
          ? 'repairDesk.ticket.warrantyIn'
          : w === 'out'
            ? 'repairDesk.ticket.warrantyOut'
            : 'repairDesk.ticket.warrantyUnknown',
      )}
    </Badge>
  );
}

function Moves({ ticket }: { ticket: RepairTicketDetail }) {
  const { t } = useTranslation();
  const move = useMove();
  const ended = ticket.status === 'closed' || ticket.status === 'retired';
  const card = { id: ticket.id, assetTag: ticket.device.assetTag, status: ticket.status };
  return (
    <Stack gap={4} align="flex-end">
      <Group gap="xs" role="group" aria-label={t('repairDesk.ticket.moves')}>
        {ticket.nextEvents.map((event) => (
          <Button
            key={event}
            variant={event === 'retire' ? 'outline' : 'filled'}
            color={event === 'retire' ? '#a51d1d' : undefined}
            loading={move.pending}
            onClick={() => move.run(card, event)}
            data-move={event}
          >
            {t(`repairDesk.moves.${event}`)}
          </Button>
        ))}
      </Group>
      {ticket.nextEvents.filter((e) => e !== 'retire').length === 0 && (
        <Text fz="sm" c="gray.7">
          {ended ? t('repairDesk.ticket.ended') : t('repairDesk.ticket.noMoves')}
        </Text>
      )}
      <Text fz="sm" fw={600} role="status" data-move-status>
        {move.message}
      </Text>
      {move.dialog}
    </Stack>
  );
}

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

/** Notes, parts, cost and the vendor's RMA reference (PATCH /repairs/:id): only what changed is sent. */
function WorkForm({ ticket, editable }: { ticket: RepairTicketDetail; editable: boolean }) {
  const { t } = useTranslation();
  const [work, setWork] = useState<Work>(() => workOf(ticket));
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

/** Every step with who took it and when, in the campus's time. */
function Steps({ ticket }: { ticket: RepairTicketDetail }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ticket-steps" data-steps>
      <Title order={2} fz="h3" id="ticket-steps">
        {t('repairDesk.ticket.steps')}
      </Title>
      <Text c="gray.7" fz="sm" mb="sm">
        {t('repairDesk.ticket.stepsHint')}
      </Text>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="ticket-steps">
        <Table striped verticalSpacing="xs" miw={520}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('repairDesk.ticket.when')}</Table.Th>
              <Table.Th scope="col">{t('repairDesk.ticket.stepName')}</Table.Th>
              <Table.Th scope="col">{t('repairDesk.ticket.who')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ticket.steps.map((step, i) => (
              <Table.Tr key={`${step.status}-${i}`} data-step={step.status}>
                <Table.Td className="nowrap">{formatDateTime(ctx.language, step.at, ticket.timeZone)}</Table.Td>
                <Table.Td>{t(`repairs.statuses.${step.status}`)}</Table.Td>
                <Table.Td data-actor>
                  {step.actorName ?? (step.actorType ? t(`audit.actorTypes.${step.actorType}`) : t('repairDesk.ticket.nobody'))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Paper>
  );
}

/** swap → ticket → loaner → pickup, each a link where it has a page. */
function Links({ ticket }: { ticket: RepairTicketDetail }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const { swap, loaner, pickup } = ticket.links;
  const zone = ticket.timeZone;
  const when = (at: number | null) => formatDateTime(ctx.language, at, zone);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ticket-links" data-links>
      <Title order={2} fz="h3" id="ticket-links">
        {t('repairDesk.ticket.links')}
      </Title>
      <Text c="gray.7" fz="sm" mb="sm">
        {t('repairDesk.ticket.linksHint')}
      </Text>
      <ol className="repair-links">
        <li data-link="swap">
          <Text fw={700}>{swap?.kind === 'drop_off' ? t('repairDesk.ticket.dropOff') : t('repairDesk.ticket.swap')}</Text>
          <Text>
            {swap ? (
              <>
                <PageLink to={`/stations/${encodeURIComponent(swap.stationId)}`}>
                  {t('repairDesk.ticket.atStation', { station: swap.stationName ?? '—' })}
                </PageLink>{' '}
                · {when(swap.at)}
              </>
            ) : ticket.openedBy ? (
              t('repairDesk.ticket.byHand')
            ) : (
              t('repairDesk.ticket.noSwap')
            )}
          </Text>
        </li>
        <li data-link="loaner">
          <Text fw={700}>{t('repairDesk.ticket.loaner')}</Text>
          <Text>
            {loaner ? (
              <>
                <PageLink to={`/devices/${encodeURIComponent(loaner.deviceId)}`}>{loaner.assetTag}</PageLink> ·{' '}
                {loaner.returned
                  ? t('repairDesk.ticket.loanerReturned', { when: when(loaner.endedAt) })
                  : t('repairDesk.ticket.loanerOut')}
              </>
            ) : (
              t('repairDesk.ticket.noLoaner')
            )}
          </Text>
        </li>
        <li data-link="pickup">
          <Text fw={700}>{t('repairDesk.ticket.pickup')}</Text>
          <Text>
            {pickup ? (
              <>
                <PageLink to={`/stations/${encodeURIComponent(pickup.stationId)}`}>
                  {t('repairDesk.ticket.atStation', { station: pickup.stationName ?? '—' })}
                </PageLink>{' '}
                · {when(pickup.completedAt ?? pickup.at)}
              </>
            ) : (
              t('repairDesk.ticket.notYet')
            )}
          </Text>
        </li>
      </ol>
    </Paper>
  );
}
