import { updateProfile } from '../../access/profile';
import type { Resolvers } from '../generated/resolvers-types';
import { must } from './shared';

export const accessResolvers: Resolvers = {
  Mutation: {
    updateProfile: (_p, { input }, { viewer }) =>
      updateProfile(viewer, {
        timeZone: input.timeZone ?? undefined,
        locale: input.locale ?? undefined,
        name: input.name ?? undefined,
      }),
  },
  User: {
    isAdmin: (user) => Boolean(user.isAdmin),
    institution: async (user, _a, { loaders }) => must(await loaders.institution.load(user.institutionId), 'institution'),
    memberships: (user, _a, { loaders }) => loaders.membershipsByUser.load(user.id),
  },
  LabMembership: {
    lab: async (membership, _a, { loaders }) => must(await loaders.lab.load(membership.labId), 'lab'),
  },
};
