import { Button, FileButton, Group, Paper, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ticketKey } from './moves.js';
import type { RepairPhoto, RepairTicketDetail } from '@cubby/protocol/api';
import { api, apiBase } from '../api.js';
import { useRenderContext } from '../lists/reference.js';
import { useChange } from '../settings/settings-ui.js';
import { ChangeError } from '../ui/Dialog.js';
import { formatDateTime } from '../ui/format.js';

// The server's repairPhotoTypes and repairPhotoMaxBytes (@cubby/protocol/api): the dashboard takes types only from there.
const photoTypes = ['image/jpeg', 'image/png', 'image/webp'];
const photoMaxBytes = 5 * 1024 * 1024;

/** The photos the technician attached (thumbnails from the photo's own URL), and an upload (the raw image as the body). */
export function Photos({ ticket, canUpload }: { ticket: RepairTicketDetail; canUpload: boolean }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const [done, setDone] = useState(false);
  const [tooBig, setTooBig] = useState(false);
  const upload = useChange(
    (file: File) =>
      api<RepairPhoto>(`/repairs/${encodeURIComponent(ticket.id)}/photos`, {
        method: 'POST',
        file: { body: file, type: file.type },
      }),
    [ticketKey(ticket.id)],
    () => setDone(true),
  );
  const url = (photo: RepairPhoto) =>
    `${apiBase}/repairs/${encodeURIComponent(ticket.id)}/photos/${encodeURIComponent(photo.id)}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ticket-photos" data-photos={ticket.photos.length}>
      <Title order={2} fz="h3" id="ticket-photos">
        {t('repairDesk.ticket.photos')}
      </Title>
      <Text c="gray.7" fz="sm" mb="sm">
        {t('repairDesk.ticket.photosHint')}
      </Text>
      {ticket.photos.length === 0 ? (
        <Text c="gray.7" mb="sm">
          {t('repairDesk.ticket.noPhotos')}
        </Text>
      ) : (
        <ul className="photo-grid">
          {ticket.photos.map((photo, i) => {
            const alt = t('repairDesk.ticket.photoAlt', {
              n: i + 1,
              assetTag: ticket.device.assetTag,
              when: formatDateTime(ctx.language, photo.uploadedAt, ticket.timeZone),
            });
            return (
              <li key={photo.id} data-photo={photo.id}>
                <a href={url(photo)} target="_blank" rel="noreferrer" className="photo-link">
                  <img src={url(photo)} alt={alt} loading="lazy" width={160} height={120} />
                </a>
                <Text fz="xs" c="dark.6">
                  {formatDateTime(ctx.language, photo.uploadedAt, ticket.timeZone)}
                  {photo.uploadedByName ? ` · ${photo.uploadedByName}` : ''}
                </Text>
              </li>
            );
          })}
        </ul>
      )}
      {canUpload && (
        <Group gap="sm">
          <FileButton
            accept={photoTypes.join(',')}
            onChange={(file) => {
              setDone(false);
              setTooBig(false);
              if (!file) return;
              if (file.size > photoMaxBytes) return setTooBig(true);
              upload.mutate(file);
            }}
            inputProps={{ 'aria-label': t('repairDesk.ticket.upload'), 'data-photo-input': '' } as object}
          >
            {(props) => (
              <Button {...props} variant="default" loading={upload.isPending}>
                {t('repairDesk.ticket.upload')}
              </Button>
            )}
          </FileButton>
          <Text role="status" fz="sm" fw={600}>
            {upload.isPending ? t('repairDesk.ticket.uploading') : done ? t('repairDesk.ticket.uploaded') : ''}
          </Text>
        </Group>
      )}
      {tooBig && (
        <Text c="red.9" fz="sm" role="alert">
          {t('repairDesk.ticket.tooBig')}
        </Text>
      )}
      <ChangeError error={upload.error} />
    </Paper>
  );
}
