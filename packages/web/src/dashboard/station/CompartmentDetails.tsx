import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useSession } from '../session.js';
import type { GridCompartment, StationGrid } from '@cubby/protocol/api';
import { useZones } from '../lists/reference.js';
import { formatDateTime } from '../ui/format.js';
import { ContentIcon } from './content-icons.js';
import { ReasonDialog } from './ReasonDialog.js';

/** What one locker holds and who has its loaner, with remote open and out of service for station:operate. */
export function CompartmentDetails({ compartment: c, grid }: { compartment: GridCompartment; grid: StationGrid }) {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const { can } = useSession();
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<'open' | 'service' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const outOfService = c.status === 'out_of_service';
  const refresh = () => queries.invalidateQueries({ queryKey: ['grid', grid.station.id] });
  const rows: [string, string][] = [
    [t('station.holds'), t(`station.contents.${c.content}`)],
    [t('overview.status'), t(`station.status.${c.status}`, { defaultValue: c.status })],
    [t('station.doorLabel'), t(`station.door.${c.door === 'open' || c.door === 'closed' ? c.door : 'unknown'}`)],
    [t('station.charging'), c.hasCharger ? (c.charging ? t('app.yes') : t('app.no')) : t('station.noCharger')],
    [t('station.device'), c.device ? `${c.device.assetTag} · ${c.device.model}` : t('station.noDevice')],
  ];
  if (c.device?.batteryPercent != null) rows.push([t('devices.battery'), `${c.device.batteryPercent}%`]);
  if (c.holder) {
    rows.push([holderLabel(c, t), c.holder.name ?? t('station.hiddenHolder')]);
    if (c.holder.dueAt)
      rows.push([t('loans.due'), formatDateTime(i18n.language, c.holder.dueAt, zones.ofSite(grid.station.siteId))]);
  }
  if (c.alert) rows.push([t('live.alerts'), t(`station.alertKinds.${c.alert}`, { defaultValue: c.alert })]);
  return (
    <Stack gap="sm" data-details={c.number}>
      <Title order={2} fz="h3" id="compartment-details">
        {t('station.details', { n: c.number })}
      </Title>
      <Group gap="xs" wrap="nowrap" align="flex-start" className={`content-note content-${c.content}`} data-content-note>
        <ContentIcon content={c.content} size={24} />
        <Text fz="sm">{t(`station.contentNotes.${c.content}`)}</Text>
      </Group>
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w="40%">{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {done && (
        <Text role="status" c="#1b6e2f" fw={600}>
          {done}
        </Text>
      )}
      {can('station:operate') && (
        <Group gap="sm">
          <Button onClick={() => setDialog('open')} disabled={!grid.station.connected || outOfService}>
            {t('station.openDoor')}
          </Button>
          <Button variant="default" onClick={() => setDialog('service')}>
            {outOfService ? t('station.putBack') : t('station.takeOut')}
          </Button>
        </Group>
      )}
      <ReasonDialog
        opened={dialog === 'open'}
        title={t('station.openTitle', { n: c.number })}
        body={t('station.openBody')}
        submitLabel={t('station.openSubmit')}
        onClose={() => setDialog(null)}
        onSubmit={async (reason) => {
          await api(`/stations/${encodeURIComponent(grid.station.id)}/compartments/${c.number}/open`, {
            method: 'POST',
            body: { reason },
          });
          setDone(t('station.openSent', { n: c.number }));
          await refresh();
        }}
      />
      <ReasonDialog
        opened={dialog === 'service'}
        title={outOfService ? t('station.serviceBackTitle', { n: c.number }) : t('station.serviceTitle', { n: c.number })}
        body={t('station.openBody')}
        submitLabel={outOfService ? t('station.putBack') : t('station.takeOut')}
        danger={!outOfService}
        onClose={() => setDialog(null)}
        onSubmit={async (reason) => {
          await api(`/compartments/${encodeURIComponent(c.id)}/service`, {
            method: 'PUT',
            body: { outOfService: !outOfService, reason },
          });
          setDone(t('station.serviceDone', { n: c.number }));
          await refresh();
        }}
      />
    </Stack>
  );
}

/**
 * What the person named has to do with the door. Only a loan has a due time:
 * on an empty door that is whoever took its loaner, never someone "holding" it.
 */
function holderLabel(c: GridCompartment, t: TFunction): string {
  if (c.holder?.dueAt != null) return t('station.holderLoan');
  if (c.content === 'awaiting_owner') return t('station.holderOwner');
  if (c.content === 'own_device_charging') return t('station.holderCharging');
  return t('station.holderVisit');
}
