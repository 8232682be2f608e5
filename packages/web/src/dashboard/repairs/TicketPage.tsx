import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ticketKey } from './moves.js';
import type { RepairTicketDetail } from '@cubby/protocol/api';
import { api, ApiError } from '../api.js';
import { PageLink } from '../lists/list-defs.js';
import { useRenderContext } from '../lists/reference.js';
import { useSession } from '../session.js';
import { Facts } from '../ui/Facts.js';
import { formatDate, formatDateTime } from '../ui/format.js';
import { NotFound } from '../ui/NoAccess.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { useMove } from './BoardCard.js';
import { Photos } from './Photos.js';
import { Links, Steps } from './TicketSteps.js';
import { WorkForm } from './WorkForm.js';

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
      {/* Once the ticket moved on (another tab, the kiosk: the live feed), "moved to …" would be stale. */}
      <Text fz="sm" fw={600} role="status" data-move-status>
        {move.movedTo === null || move.movedTo === ticket.status ? move.message : null}
      </Text>
      {move.dialog}
    </Stack>
  );
}
