import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Person, PersonChange, PersonProfile, PinIssued } from '@cubby/protocol/api';
import { api } from '../api.js';
import { useSession } from '../session.js';
import { ChangeError } from '../ui/Dialog.js';
import { ConfirmDialog, SecretDialog, useChange, useDialogChange } from '../settings/settings-ui.js';
import { personFormOf, PersonFormDialog, personInputOf, type PersonFormValue } from './PersonForm.js';

import { personKey } from './PersonPage.js';

/** Edit, new PIN, deactivate or reactivate: for people:write; the PIN is shown once, in a dialog. */
export function PersonActions({ profile }: { profile: PersonProfile }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { person } = profile;
  const name = `${person.givenName} ${person.familyName}`;
  const url = `/people/${encodeURIComponent(person.id)}`;
  const refresh = [personKey(person.id), ['list']];
  const [issued, setIssued] = useState<PinIssued | null>(null);
  const edit = useDialogChange((f: PersonFormValue) => {
    const { role: _role, ...change } = personInputOf(f);
    return api<Person>(url, { method: 'PATCH', body: change satisfies PersonChange });
  }, refresh);
  const pin = useDialogChange(() => api<PinIssued>(`${url}/pin`, { method: 'POST' }), refresh, setIssued);
  const active = useDialogChange(
    (next: boolean) => api<Person>(`${url}/active`, { method: 'PUT', body: { active: next } }),
    refresh,
  );
  const reactivate = useChange(() => api<Person>(`${url}/active`, { method: 'PUT', body: { active: true } }), refresh);
  if (!can('people:write') || person.erasedAt !== null) return null;
  return (
    <Group gap="xs" data-person-actions>
      <Button variant="default" onClick={() => edit.open(personFormOf(person))}>
        {t('person.edit')}
      </Button>
      {person.studentNumber && (
        <Button variant="default" onClick={() => pin.open(true)}>
          {t('person.resetPin')}
        </Button>
      )}
      {person.active ? (
        <Button variant="outline" color="red.9" onClick={() => active.open(false)}>
          {t('person.deactivate')}
        </Button>
      ) : (
        <Button variant="default" loading={reactivate.isPending} onClick={() => reactivate.mutate(undefined)}>
          {t('person.reactivate')}
        </Button>
      )}
      <ChangeError error={reactivate.error} />
      <PersonFormDialog change={edit} />
      {pin.value !== null && (
        <ConfirmDialog
          title={t('person.resetPinTitle', { name })}
          body={t('person.resetPinBody')}
          confirmLabel={t('person.resetPinConfirm')}
          change={pin}
        />
      )}
      {issued && (
        <SecretDialog
          title={t('person.newPinTitle', { name })}
          body={t('person.newPinBody', { number: person.studentNumber })}
          secret={issued.pin}
          onClose={() => setIssued(null)}
        />
      )}
      {active.value === false && (
        <ConfirmDialog
          title={t('person.deactivateTitle', { name })}
          body={t('person.deactivateBody')}
          confirmLabel={t('person.deactivate')}
          change={active}
        />
      )}
    </Group>
  );
}
