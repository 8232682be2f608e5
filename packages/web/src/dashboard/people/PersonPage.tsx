import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Page, PersonProfile } from '@cubby/protocol/api';
import { api, ApiError, queryString } from '../api.js';
import type { Row } from '../types.js';
import { FirstRows } from '../lists/FirstRows.js';
import type { ListDef } from '../lists/list-def.js';
import { loansList, PageLink, repairsList } from '../lists/list-defs.js';
import { useRenderContext } from '../lists/reference.js';
import { Facts } from '../ui/Facts.js';
import { formatDate } from '../ui/format.js';
import { NotFound } from '../ui/NoAccess.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { PersonActions } from './PersonActions.js';
import { Contacts } from './PersonContacts.js';

export const personKey = (id: string) => ['person', id];

/**
 * One person (GET /people/:id; 404 outside the user's campuses): their
 * profile, their own device, every loan and repair ticket (the lists', by
 * personId), and for people:write the changes staff make by hand.
 */
export function PersonPage() {
  const { personId = '' } = useParams();
  const profile = useQuery({
    queryKey: personKey(personId),
    queryFn: () => api<PersonProfile>(`/people/${encodeURIComponent(personId)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  if (profile.error instanceof ApiError && profile.error.status === 404) return <NotFound />;
  return <QueryState query={profile}>{(data) => <Person profile={data} />}</QueryState>;
}

function Person({ profile }: { profile: PersonProfile }) {
  const { t } = useTranslation();
  const { person } = profile;
  const name = `${person.givenName} ${person.familyName}`;
  usePageTitle(name);
  const byPerson = { personId: person.id };
  return (
    <Stack gap="lg" data-page="person" data-person={name}>
      <Anchor component={Link} to="/people" c="blue.9" fw={600} w="fit-content">
        ← {t('person.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1}>{name}</Title>
          <Badge variant="outline" color="gray.8">
            {t(`people.roles.${person.role}`)}
          </Badge>
          <Badge variant="filled" color={person.active ? '#1e6b34' : 'red.9'} data-person-active={person.active}>
            {person.active ? t('person.active') : t('person.inactive')}
          </Badge>
        </Group>
        <PersonActions profile={profile} />
      </Group>
      <ProfileFacts profile={profile} />
      <OwnDevices profile={profile} />
      <Contacts profile={profile} />
      <PersonList
        id="loans"
        title={t('person.loans')}
        empty={t('person.noLoans')}
        def={loansList}
        columns={['assetTag', 'reason', 'status', 'repairAssetTag', 'stationId', 'createdAt', 'dueAt', 'endedAt']}
        query={{ ...byPerson, sort: 'createdAt', order: 'desc' }}
      />
      <PersonList
        id="repairs"
        title={t('person.repairs')}
        empty={t('person.noRepairs')}
        def={repairsList}
        columns={['assetTag', 'symptom', 'status', 'loanerAssetTag', 'stationId', 'reportedAt']}
        query={{ ...byPerson, sort: 'reportedAt', order: 'desc' }}
      />
    </Stack>
  );
}

function ProfileFacts({ profile }: { profile: PersonProfile }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const { person } = profile;
  const zone = profile.timeZone;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="person-profile">
      <Title order={2} fz="h3" id="person-profile" mb="sm">
        {t('person.profile')}
      </Title>
      <Facts
        items={[
          [t('people.studentNumber'), person.studentNumber ?? '—'],
          [t('people.grade'), person.grade ?? '—'],
          [t('people.campus'), ctx.siteName(person.siteId)],
          [
            t('people.agreement'),
            person.agreementAcceptedAt
              ? t('people.accepted', { date: formatDate(ctx.language, person.agreementAcceptedAt, zone) })
              : t('people.notAccepted'),
          ],
          [t('person.badge'), profile.badgeEnrolled ? t('person.enrolled') : t('person.notEnrolled')],
          [t('person.pin'), profile.pinSet ? t('person.pinSet') : t('person.pinNotSet')],
          [t('person.externalId'), person.externalId ?? '—'],
        ]}
      />
    </Paper>
  );
}

function OwnDevices({ profile }: { profile: PersonProfile }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="person-device" data-own-device>
      <Title order={2} fz="h3" id="person-device" mb="sm">
        {t('person.ownDevice')}
      </Title>
      {profile.devices.length === 0 ? (
        <Text c="gray.7">{t('person.noOwnDevice')}</Text>
      ) : (
        <Stack gap="xs">
          {profile.devices.map((d) => (
            <Group key={d.id} gap="sm">
              <PageLink to={`/devices/${encodeURIComponent(d.id)}`}>{d.assetTag}</PageLink>
              <Text>{d.model}</Text>
              <Badge variant="filled" color="blue.9">
                {t(`devices.statuses.${d.status}`)}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

const shown = 100;

/** Every loan or repair ticket of the person (or of a device: the query says whose), the newest hundred, with the list's own columns. */
export function PersonList(props: {
  id: string;
  title: string;
  empty: string;
  def: ListDef;
  columns: string[];
  query: Record<string, string>;
}) {
  const { id, title, empty, def, query } = props;
  const columns = props.columns.map((key) => def.columns.find((c) => c.key === key)!);
  const list = useQuery({
    queryKey: ['list', def.resource, query, 'person'],
    queryFn: () => api<Page<Row>>(`/${def.resource}${queryString({ ...query, limit: shown + 1 })}`),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`person-${id}`} data-person-list={id}>
      <Title order={2} fz="h3" id={`person-${id}`} mb="xs">
        {title}
      </Title>
      <QueryState query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="gray.7">{empty}</Text>
          ) : (
            <FirstRows rows={page.items} columns={columns} labelledBy={`person-${id}`} shown={shown} />
          )
        }
      </QueryState>
    </Paper>
  );
}
