import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Person } from '@cubby/protocol/api';
import { api } from '../api.js';
import { useSites } from '../lists/reference.js';
import { useSession } from '../session.js';
import { useDialogChange } from '../settings/settings-ui.js';
import { blankPerson, PersonFormDialog, personInputOf, type PersonFormValue } from './PersonForm.js';

/** The People list's "Add a person" (then their page) and "PIN sheet for a class", for people:write. */
export function PeopleListActions() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const sites = useSites();
  const add = useDialogChange(
    (f: PersonFormValue) => api<Person>('/people', { method: 'POST', body: personInputOf(f) }),
    [['list']],
    (person) => void navigate(`/people/${encodeURIComponent(person.id)}`),
  );
  if (!can('people:write')) return null;
  const firstSite = sites.data?.items.length === 1 ? sites.data.items[0]!.id : '';
  return (
    <>
      <Button component={Link} to="/people/pin-sheet" variant="default">
        {t('person.pinSheet')}
      </Button>
      <Button onClick={() => add.open(blankPerson(firstSite))}>{t('person.add')}</Button>
      <PersonFormDialog change={add} />
    </>
  );
}
