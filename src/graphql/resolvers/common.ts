import { requireUser } from '../../access/policies';
import type { Resolvers } from '../generated/resolvers-types';
import { must } from './shared';

export const commonResolvers: Resolvers = {
  Query: {
    me: async (_parent, _args, { viewer, loaders }) => must(await loaders.user.load(requireUser(viewer).userId), 'user'),
  },
  Mutation: {
    ping: () => 'pong',
  },
};
