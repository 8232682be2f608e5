import { Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RepairTicketDetail } from '@cubby/protocol/api';
import { PageLink } from '../lists/list-defs.js';
import { useRenderContext } from '../lists/reference.js';
import { formatDateTime } from '../ui/format.js';

/** Every step with who took it and when, in the campus's time. */
export function Steps({ ticket }: { ticket: RepairTicketDetail }) {
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
export function Links({ ticket }: { ticket: RepairTicketDetail }) {
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
          <Text fw={700}>
            {swap === null
              ? t('repairDesk.ticket.reported')
              : swap.kind === 'drop_off'
                ? t('repairDesk.ticket.dropOff')
                : t('repairDesk.ticket.swap')}
          </Text>
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
