import { listSignInAudit } from '../../auth/audit';
import { setUserDisabled } from '../../auth/accounts';
import {
  createIdentityProvider, deleteIdentityProvider, listIdentityProviders, setEmailSignIn, updateIdentityProvider,
} from '../../auth/identity-providers';
import { createPersonalAccessToken, listMyPersonalAccessTokens, revokePersonalAccessToken } from '../../auth/personal-access-tokens';
import { listMySessions, revokeSession, signOut } from '../../auth/sessions';
import type { Resolvers } from '../generated/resolvers-types';
import { parseId, parseOptionalId } from '../ids';
import { decodeCursor, pageSize, toPage } from '../pagination';
import { must } from './shared';
import { userErrors } from '../user-errors';

const orNull = <T>(value: T | null | undefined) => (value === null ? undefined : value);

export const authResolvers: Resolvers = {
  Query: {
    mySessions: (_p, _a, { viewer, cfg, clock }) => listMySessions(viewer, cfg, clock),
    myPersonalAccessTokens: (_p, _a, { viewer }) => listMyPersonalAccessTokens(viewer),
    identityProviders: (_p, { institutionId }, { viewer }) => listIdentityProviders(viewer, { institutionId: parseOptionalId(institutionId, 'institutionId') }),
    signInAudit: async (_p, { userId, failedOnly, first, after }, { viewer }) => {
      const page = { size: pageSize(first, 50), afterId: decodeCursor<[number]>(after, ['number'])?.[0] };
      const rows = await listSignInAudit(viewer, { userId: parseOptionalId(userId, 'userId'), failedOnly: failedOnly ?? false }, page);
      return toPage(rows, page.size, (row) => [row.id]);
    },
  },
  Mutation: {
    signOut: async (_p, _a, { viewer, clock }) => ({ signedOut: await signOut(viewer, clock), errors: [] }),
    revokeSession: async (_p, { id }, { viewer, clock, locale }) => {
      const result = await revokeSession(viewer, parseId(id), clock);
      return { revoked: result.revoked, errors: userErrors(result.errors, { locale }) };
    },
    createPersonalAccessToken: async (_p, { input }, { viewer, clock, locale }) => {
      const result = await createPersonalAccessToken(viewer, { name: input.name, expiresInDays: input.expiresInDays ?? 90 }, clock);
      return { personalAccessToken: result.token, token: result.secret, errors: userErrors(result.errors, { locale }) };
    },
    revokePersonalAccessToken: async (_p, { id }, { viewer, clock, locale }) => {
      const result = await revokePersonalAccessToken(viewer, parseId(id), clock);
      return { personalAccessToken: result.token, errors: userErrors(result.errors, { locale }) };
    },
    createIdentityProvider: async (_p, { input }, { viewer, cfg, locale }) => {
      const result = await createIdentityProvider(
        viewer,
        {
          institutionId: parseId(input.institutionId, 'institutionId'), issuer: input.issuer, clientId: input.clientId, clientSecret: input.clientSecret,
          emailDomains: input.emailDomains, emailClaim: orNull(input.emailClaim), nameClaim: orNull(input.nameClaim), localeClaim: orNull(input.localeClaim),
          zoneClaim: orNull(input.zoneClaim), enabled: orNull(input.enabled),
        },
        cfg,
      );
      return { identityProvider: result.identityProvider, errors: userErrors(result.errors, { locale }) };
    },
    updateIdentityProvider: async (_p, { input }, { viewer, cfg, locale }) => {
      const result = await updateIdentityProvider(
        viewer,
        parseId(input.id),
        {
          issuer: orNull(input.issuer), clientId: orNull(input.clientId), clientSecret: orNull(input.clientSecret), emailDomains: orNull(input.emailDomains),
          emailClaim: orNull(input.emailClaim), nameClaim: orNull(input.nameClaim), localeClaim: orNull(input.localeClaim), zoneClaim: orNull(input.zoneClaim),
          enabled: orNull(input.enabled),
        },
        cfg,
      );
      return { identityProvider: result.identityProvider, errors: userErrors(result.errors, { locale }) };
    },
    deleteIdentityProvider: async (_p, { id }, { viewer, locale }) => {
      const result = await deleteIdentityProvider(viewer, parseId(id));
      return { deleted: result.deleted, errors: userErrors(result.errors, { locale }) };
    },
    setEmailSignIn: async (_p, { institutionId, enabled }, { viewer, locale }) => {
      const result = await setEmailSignIn(viewer, parseId(institutionId, 'institutionId'), enabled);
      return { institution: result.institution, errors: userErrors(result.errors, { locale }) };
    },
    setUserDisabled: async (_p, { userId, disabled }, { viewer, clock, locale }) => {
      const result = await setUserDisabled(viewer, parseId(userId, 'userId'), disabled, clock);
      return { user: result.user, errors: userErrors(result.errors, { locale }) };
    },
  },
  User: {
    signInMethod: (user, _a, { viewer }) => (viewer.kind === 'USER' && viewer.userId === user.id ? (viewer.signIn?.method ?? null) : null),
    disabledAt: (user) => user.disabledAt ?? null,
  },
  Institution: {
    emailSignInEnabled: (institution) => Boolean(institution.emailSignInEnabled),
  },
  Session: {
    signInMethod: (session) => session.method,
    current: (session, _a, { viewer }) => viewer.kind === 'USER' && viewer.signIn?.sessionId === session.id,
  },
  IdentityProvider: {
    institution: async (provider, _a, { loaders }) => must(await loaders.institution.load(provider.institutionId), 'institution'),
  },
  SignInAuditRecord: {
    at: (record) => record.createdAt,
    user: (record, _a, { loaders }) => (record.userId ? loaders.user.load(record.userId) : null),
    institution: (record, _a, { loaders }) => (record.institutionId ? loaders.institution.load(record.institutionId) : null),
  },
};
