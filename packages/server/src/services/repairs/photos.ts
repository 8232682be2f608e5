import { DomainError, type Principal } from '@cubby/core';
import { findRepairPhoto, insertRepairPhoto, listRepairPhotos, newId } from '@cubby/db';
import { repairPhotoMaxBytes, repairPhotoTypes, type RepairPhoto } from '@cubby/protocol/api';
import { announceRepair, transact, type Services } from '../deps.js';
import { byWhom } from '../district-records.js';
import { ticketFor } from './ticket.js';

export type RepairPhotoType = (typeof repairPhotoTypes)[number];

/** What the bytes are, by their signature (magic bytes), whatever the request's header says. */
export function sniffImageType(bytes: Uint8Array): RepairPhotoType | null {
  const starts = (sig: readonly number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF <size> WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/** The declared media type without its parameters, lower case. */
const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * A photo of the ticket's device, the raw image as the body: JPEG, PNG or
 * WebP up to 5 MB, its bytes checked to be what the header says (a forged
 * type is a 415 problem, like a type not taken). Audited.
 */
export async function addRepairPhoto(
  services: Services,
  principal: Principal,
  ticketId: string,
  upload: { body: unknown; contentType: string | undefined },
): Promise<RepairPhoto> {
  return transact(services, async (tx) => {
    const t = await ticketFor(tx.db, principal, ticketId);
    const declared = mediaType(upload.contentType);
    if (!(repairPhotoTypes as readonly string[]).includes(declared) || !(upload.body instanceof Uint8Array))
      throw new DomainError('unsupported_media_type', 'A photo must be a JPEG, PNG or WebP image', {
        reason: 'not_an_image',
      });
    const bytes = upload.body;
    if (bytes.length > repairPhotoMaxBytes)
      throw new DomainError('too_large', 'A photo may be at most 5 MB', {
        reason: 'photo_too_large',
        limit: repairPhotoMaxBytes,
      });
    const sniffed = sniffImageType(bytes);
    if (sniffed !== declared)
      throw new DomainError('unsupported_media_type', 'The file is not the image its type says', {
        reason: sniffed ? 'type_mismatch' : 'not_an_image',
      });
    const id = newId();
    await insertRepairPhoto(tx.db, {
      id,
      ticket_id: t.id,
      content_type: sniffed,
      bytes,
      size: bytes.length,
      uploaded_by: principal.id,
      uploaded_at: tx.now,
    });
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'repair.photo_added',
      entityType: 'repair_ticket',
      entityId: t.id,
      data: { deviceId: t.device_id, photoId: id, contentType: sniffed, size: bytes.length, by: byWhom(principal) },
    });
    announceRepair(tx, { id: t.id, deviceId: t.device_id }, t.status);
    const photo = (await listRepairPhotos(tx.db, t.id)).find((p) => p.id === id)!;
    return photo as RepairPhoto;
  });
}

/** A photo's bytes and type, for a ticket the caller may see. */
export async function repairPhotoBytes(services: Services, principal: Principal, ticketId: string, photoId: string) {
  const db = services.cubby.db;
  const t = await ticketFor(db, principal, ticketId);
  const photo = await findRepairPhoto(db, t.id, photoId);
  if (!photo) throw new DomainError('not_found', 'No such photo');
  return { contentType: photo.content_type, bytes: Buffer.from(photo.bytes) };
}
