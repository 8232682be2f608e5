import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PersonProfile } from '@cubby/protocol/api';

/** A student's guardians and parents as the roster lists them (docs/importing.md#contacts), for notices. */
export function Contacts({ profile }: { profile: PersonProfile }) {
  const { t } = useTranslation();
  if (profile.person.role !== 'student' && profile.contacts.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="person-contacts" data-person-contacts>
      <Title order={2} fz="h3" id="person-contacts" mb="sm">
        {t('person.contacts')}
      </Title>
      {profile.contacts.length === 0 ? (
        <Text c="gray.7">{t('person.noContacts')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table withTableBorder aria-labelledby="person-contacts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('person.contactName')}</Table.Th>
                <Table.Th scope="col">{t('person.relationship')}</Table.Th>
                <Table.Th scope="col">{t('person.email')}</Table.Th>
                <Table.Th scope="col">{t('person.phone')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {profile.contacts.map((c) => (
                <Table.Tr key={c.id} data-contact>
                  <Table.Td>{`${c.givenName} ${c.familyName}`}</Table.Td>
                  <Table.Td>
                    {t(`person.relationships.${c.relationship as 'guardian'}`, { defaultValue: c.relationship })}
                  </Table.Td>
                  <Table.Td>
                    {c.email ? (
                      <Anchor href={`mailto:${c.email}`} fz="sm">
                        {c.email}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{c.phone ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
