import { createApiKey, listApiKeys, revokeApiKey } from '../../access/api-keys';
import { mayReadUserField, NotAllowed, type UserField } from '../../access/policies';
import { remindersOf, updateProfile } from '../../access/profile';
import { grantQualification, listQualifications, revokeQualification, type QualificationTarget } from '../../access/qualifications';
import {
  createWebhookSubscription, deleteWebhookSubscription, listWebhookSubscriptions, sendWebhookTestEvent, updateWebhookSubscription,
} from '../../access/webhook-subscriptions';
import type { UserRow } from '../../db/rows';
import type { GraphQLContext } from '../context';
import type { QualificationInput, Resolvers } from '../generated/resolvers-types';
import { parseId, parseOptionalId } from '../ids';
import { decodeCursor, pageSize, toPage } from '../pagination';
import { must, visibleUser } from './shared';
import { userErrors } from '../user-errors';

const idPage = (first: number | null | undefined, after: string | null | undefined, fallback = 20) => ({
  size: pageSize(first, fallback),
  afterId: decodeCursor<[number]>(after, ['number'])?.[0],
});
const byId = (row: { id: number }) => [row.id];

function qualificationTarget(input: QualificationInput): QualificationTarget {
  return {
    instrumentId: parseId(input.instrumentId, 'instrumentId'),
    userId: parseOptionalId(input.userId, 'userId'),
    email: input.email ?? undefined,
  };
}

const mayRead = async (user: UserRow, field: UserField, { loaders }: GraphQLContext) => mayReadUserField(await loaders.userVisibility.load(user.id), field);

/** A field the schema calls non-null: reachable only for users one may see at least CONTACT of; anything else is refused. */
const contactField = <T>(field: UserField, read: (user: UserRow, ctx: GraphQLContext) => T | Promise<T>) =>
  async (user: UserRow, _a: unknown, ctx: GraphQLContext): Promise<T> => {
    if (!(await mayRead(user, field, ctx))) throw new NotAllowed('HIDDEN_USER');
    return read(user, ctx);
  };

/** A field only the user themselves and admins read: null for everyone else. */
const ownField = <T>(field: UserField, read: (user: UserRow, ctx: GraphQLContext) => T | Promise<T>) =>
  async (user: UserRow, _a: unknown, ctx: GraphQLContext): Promise<T | null> => ((await mayRead(user, field, ctx)) ? read(user, ctx) : null);

export const accessResolvers: Resolvers = {
  Query: {
    apiKeys: async (_p, { institutionId, first, after }, { viewer }) => {
      const page = idPage(first, after);
      return toPage(await listApiKeys(viewer, { institutionId: parseOptionalId(institutionId, 'institutionId') }, page), page.size, byId);
    },
    webhookSubscriptions: async (_p, { institutionId, first, after }, { viewer }) => {
      const page = idPage(first, after);
      return toPage(await listWebhookSubscriptions(viewer, parseId(institutionId, 'institutionId'), page), page.size, byId);
    },
    instrumentQualifications: async (_p, { instrumentId, first, after }, { viewer }) => {
      const page = idPage(first, after, 50);
      return toPage(await listQualifications(viewer, parseId(instrumentId, 'instrumentId'), page), page.size, byId);
    },
  },
  Mutation: {
    updateProfile: async (_p, { input }, { viewer, locale }) => {
      const result = await updateProfile(viewer, {
        timeZone: input.timeZone ?? undefined, locale: input.locale ?? undefined, name: input.name ?? undefined,
        reminders: input.reminders ?? undefined, approvalMail: input.approvalMail ?? undefined,
      });
      return { user: result.user, errors: userErrors(result.errors, { locale }) };
    },
    createApiKey: async (_p, { input }, { viewer, locale }) => {
      const result = await createApiKey(viewer, { institutionId: parseId(input.institutionId, 'institutionId'), name: input.name, scopes: input.scopes });
      return { apiKey: result.apiKey, key: result.key ?? null, errors: userErrors(result.errors, { locale }) };
    },
    revokeApiKey: async (_p, { id }, { viewer, clock, locale }) => {
      const result = await revokeApiKey(viewer, parseId(id), clock);
      return { apiKey: result.apiKey, errors: userErrors(result.errors, { locale }) };
    },
    createWebhookSubscription: async (_p, { input }, { viewer, locale }) => {
      const result = await createWebhookSubscription(viewer, {
        institutionId: parseId(input.institutionId, 'institutionId'),
        url: input.url,
        eventTypes: input.eventTypes ?? undefined,
      });
      return { subscription: result.subscription, secret: result.secret ?? null, errors: userErrors(result.errors, { locale }) };
    },
    updateWebhookSubscription: async (_p, { input }, { viewer, locale }) => {
      const result = await updateWebhookSubscription(viewer, {
        id: parseId(input.id),
        url: input.url ?? undefined,
        eventTypes: input.eventTypes ?? undefined,
        allEventTypes: input.allEventTypes ?? undefined,
        active: input.active ?? undefined,
      });
      return { subscription: result.subscription, errors: userErrors(result.errors, { locale }) };
    },
    deleteWebhookSubscription: async (_p, { id }, { viewer, locale }) => {
      const result = await deleteWebhookSubscription(viewer, parseId(id));
      return { deleted: result.deleted, errors: userErrors(result.errors, { locale }) };
    },
    sendWebhookTestEvent: async (_p, { subscriptionId }, { viewer, locale }) => {
      const result = await sendWebhookTestEvent(viewer, parseId(subscriptionId, 'subscriptionId'));
      return { eventId: result.eventId, errors: userErrors(result.errors, { locale }) };
    },
    grantQualification: async (_p, { input }, { viewer, locale }) => {
      const result = await grantQualification(viewer, qualificationTarget(input));
      return { qualification: result.qualification, errors: userErrors(result.errors, { locale }) };
    },
    revokeQualification: async (_p, { input }, { viewer, locale }) => {
      const result = await revokeQualification(viewer, qualificationTarget(input));
      return { revoked: result.revoked, errors: userErrors(result.errors, { locale }) };
    },
  },
  // Every field but id goes through the policy (mayReadUserField), wherever the User was reached from.
  User: {
    name: contactField('name', (user) => user.name),
    email: contactField('email', (user) => user.email),
    institution: contactField('institution', async (user, { loaders }) => must(await loaders.institution.load(user.institutionId), 'institution')),
    timeZone: ownField('timeZone', (user) => user.timeZone),
    locale: ownField('locale', (user) => user.locale),
    isAdmin: ownField('isAdmin', (user) => Boolean(user.isAdmin)),
    memberships: ownField('memberships', (user, { loaders }) => loaders.membershipsByUser.load(user.id)),
    reminders: ownField('reminders', (user) => remindersOf(user.reminders)),
    approvalMail: ownField('approvalMail', (user) => user.approvalMail),
  },
  LabMembership: {
    lab: async (membership, _a, { loaders }) => must(await loaders.lab.load(membership.labId), 'lab'),
  },
  ApiKey: {
    institution: async (key, _a, { loaders }) => must(await loaders.institution.load(key.institutionId), 'institution'),
  },
  WebhookSubscription: {
    institution: async (sub, _a, { loaders }) => must(await loaders.institution.load(sub.institutionId), 'institution'),
  },
  InstrumentQualification: {
    instrument: async (q, _a, { loaders }) => must(await loaders.instrument.load(q.instrumentId), 'instrument'),
    user: async (q, _a, { loaders }) => must(await loaders.user.load(q.userId), 'user'),
    grantedBy: (q, _a, ctx) => visibleUser(q.grantedBy, ctx),
    grantedAt: (q) => q.createdAt,
  },
};
