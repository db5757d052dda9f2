// The resolver map, merged from one file per SDL area.
import { scalarResolvers } from '../scalars';
import type { Resolvers } from '../generated/resolvers-types';
import { accessResolvers } from './access';
import { authResolvers } from './auth';
import { availabilityResolvers } from './availability';
import { bookingGroupResolvers } from './booking-groups';
import { bookingResolvers } from './bookings';
import { bookingSeriesResolvers } from './booking-series';
import { commonResolvers } from './common';
import { deliveryResolvers } from './deliveries';
import { instrumentResolvers } from './instruments';
import { labSettingsResolvers } from './lab-settings';
import { usageResolvers } from './usage';

function merge(...maps: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      merged[type] = { ...(merged[type] ?? {}), ...(fields as Record<string, unknown>) };
    }
  }
  return merged as Resolvers;
}

export const resolvers: Resolvers = {
  ...merge(
    commonResolvers, instrumentResolvers, accessResolvers, authResolvers, bookingResolvers, bookingGroupResolvers, availabilityResolvers,
    labSettingsResolvers, usageResolvers, deliveryResolvers, bookingSeriesResolvers,
  ),
  ...scalarResolvers,
};
