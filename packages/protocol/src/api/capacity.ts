import { Type, type Static } from '@sinclair/typebox';
import { Nullable, TextInteger, Time } from './common.js';

/**
 * The capacity plan (GET /api/v1/capacity, issue 17; docs/analytics.md): per
 * campus, the loaners its history says it needs at the district's service
 * level, and for the whole district the fewest moves of spares between
 * campuses. Times are epoch milliseconds (UTC).
 */
export const CapacityQuery = Type.Object(
  {
    from: Type.Optional(TextInteger({ minimum: 0, description: 'history from (epoch ms); default 90 days before `to`' })),
    to: Type.Optional(TextInteger({ minimum: 1, description: 'history to, exclusive (epoch ms); default now' })),
    servicePercent: Type.Optional(
      TextInteger({ minimum: 50, maximum: 99, description: 'share of loaner requests to serve, in percent; default 99' }),
    ),
  },
  { additionalProperties: false },
);
export type CapacityQuery = Static<typeof CapacityQuery>;

export const CampusCapacity = Type.Object({
  siteId: Type.String(),
  name: Type.String(),
  inputs: Type.Object({
    schoolDays: Type.Integer({ description: 'weekdays in the history (the school calendar is not applied yet)' }),
    dayLoans: Type.Integer({ description: 'day loans out during the history' }),
    swaps: Type.Integer({ description: 'swap loans started in the history' }),
    awayAtRepair: Type.Number({ description: 'swap loans out on average: failures per day × turnaround' }),
  }),
  dayLoans: Type.Object({
    meanPeak: Type.Number(),
    model: Type.Union([Type.Literal('poisson'), Type.Literal('negative_binomial'), Type.Literal('convolution')]),
    sampleQuantile: Type.Integer(),
    needed: Type.Integer(),
  }),
  swapLoans: Type.Object({ needed: Type.Integer(), turnedAwayAtNeeded: Type.Number() }),
  current: Type.Integer(),
  recommended: Type.Integer(),
  surplus: Type.Integer({ description: 'current − recommended: spares when positive, short when negative' }),
  shortDayChance: Type.Object({ current: Type.Number(), recommended: Type.Number() }),
});
export type CampusCapacity = Static<typeof CampusCapacity>;

export const CapacityMove = Type.Object({
  fromSiteId: Type.String(),
  fromName: Type.String(),
  toSiteId: Type.String(),
  toName: Type.String(),
  loaners: Type.Integer({ minimum: 1 }),
});
export type CapacityMove = Static<typeof CapacityMove>;

export const CapacityReport = Type.Object({
  generatedAt: Time,
  from: Time,
  to: Time,
  serviceLevel: Type.Number(),
  campuses: Type.Array(CampusCapacity),
  rebalancing: Nullable(
    Type.Object({
      moves: Type.Array(CapacityMove),
      unmet: Type.Integer({ description: 'loaners short campuses still lack after every spare moved' }),
      unused: Type.Integer({ description: 'spares no campus needs' }),
    }),
    { description: 'null for a campus-scoped viewer: moving spares is a district decision' },
  ),
});
export type CapacityReport = Static<typeof CapacityReport>;
