// Who a verified OIDC sign-in is. The rule, in order:
//  1. (issuer, subject) already linked: that user. Never matched by e-mail alone.
//  2. Otherwise the e-mail (from the provider's e-mail claim) must be in the provider's domains.
//  3. An existing account with that e-mail, in the provider's own institution, with no identity at this issuer yet,
//     is linked when the provider says email_verified = true. This is how seeded and pre-created users sign in the
//     first time. Any other existing account with that e-mail (another institution, unverified e-mail, already linked
//     to another subject) is refused (EMAIL_TAKEN) for an admin to sort out: taking it over would hand one person's
//     bookings to another.
//  4. Else a new user in the provider's institution, with name, e-mail, locale and zone from the claims where present
//     (else the e-mail's local part, `en` and the institution's zone).
// The e-mail domain is checked on every sign-in, and a disabled user is refused (their sessions are ended) at any step.
// The account and its identity are written in one transaction: nothing half-created.
import { IANAZone } from 'luxon';
import { systemClock, type Clock } from '../clock';
import { User } from '../db/models';
import { isDuplicateKey, rawQuery, type WriteResult } from '../db/raw';
import { runTransaction } from '../db/transaction';
import { closestLocale, LOCALES } from '../i18n/locales';
import { domainCovered } from './identity-providers';
import { OidcSignInError, type VerifiedClaims } from './oidc';
import { endAllSessions } from './sessions';

export interface SignedInAccount {
  userId: number;
  institutionId: number;
  email: string | null;
  created: boolean;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

export async function accountForIdentity(verified: VerifiedClaims, clock: Clock = systemClock): Promise<SignedInAccount> {
  const { provider, claims } = verified;
  const email = text(claims[provider.emailClaim])?.toLowerCase() ?? null;
  if (email && !domainCovered(email.split('@')[1] ?? '', provider.emailDomains)) {
    throw new OidcSignInError('EMAIL_OUTSIDE_DOMAINS', `${email} is outside ${provider.emailDomains.join(', ')}`);
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await resolve(verified, email, clock);
    } catch (error) {
      // Two first sign-ins of one person at once: the loser finds the winner's identity on the next pass.
      if (!isDuplicateKey(error) || attempt >= 2) throw error;
    }
  }
}

async function resolve(verified: VerifiedClaims, email: string | null, clock: Clock): Promise<SignedInAccount> {
  const { provider, issuer, subject, claims } = verified;
  const sequelize = User.sequelize!;
  const now = clock.now().toJSDate();
  const outcome = await runTransaction(sequelize, async (transaction): Promise<SignedInAccount | { disabledUserId: number }> => {
    const [linked] = await rawQuery<{ id: number; userId: number; institutionId: number; email: string; disabledAt: Date | null }[]>(
      sequelize,
      `SELECT ui.id, u.id AS userId, u.institution_id AS institutionId, u.email, u.disabled_at AS disabledAt
         FROM user_identities ui JOIN users u ON u.id = ui.user_id WHERE ui.issuer = ? AND ui.subject = ?`,
      [issuer, subject],
      { transaction },
    );
    if (linked) {
      if (linked.disabledAt) return { disabledUserId: linked.userId };
      await rawQuery(sequelize, 'UPDATE user_identities SET last_sign_in_at = ? WHERE id = ?', [now, linked.id], { transaction });
      return { userId: linked.userId, institutionId: linked.institutionId, email: linked.email, created: false };
    }
    if (!email) throw new OidcSignInError('EMAIL_MISSING', `claim ${provider.emailClaim} is missing`);
    const [existing] = await rawQuery<{ id: number; institutionId: number; disabledAt: Date | null; identities: number }[]>(
      sequelize,
      `SELECT u.id, u.institution_id AS institutionId, u.disabled_at AS disabledAt,
              (SELECT COUNT(*) FROM user_identities ui WHERE ui.user_id = u.id AND ui.issuer = ?) AS identities
         FROM users u WHERE u.email = ? FOR UPDATE`,
      [issuer, email],
      { transaction },
    );
    if (existing) {
      const linkable = existing.institutionId === provider.institutionId && Number(existing.identities) === 0 && claims.email_verified === true;
      if (!linkable) throw new OidcSignInError('EMAIL_TAKEN', `user ${existing.id} has ${email} and cannot be linked to ${issuer} ${subject}`);
      if (existing.disabledAt) return { disabledUserId: existing.id };
      await rawQuery(sequelize, 'INSERT INTO user_identities (user_id, issuer, subject, created_at, last_sign_in_at) VALUES (?, ?, ?, ?, ?)', [existing.id, issuer, subject, now, now], { transaction });
      return { userId: existing.id, institutionId: existing.institutionId, email, created: false };
    }
    const [institution] = await rawQuery<{ timeZone: string }[]>(sequelize, 'SELECT time_zone AS timeZone FROM institutions WHERE id = ?', [provider.institutionId], { transaction });
    if (!institution) throw new OidcSignInError('NO_PROVIDER', `institution ${provider.institutionId} is gone`);
    const zone = text(claims[provider.zoneClaim]);
    const locale = text(claims[provider.localeClaim]);
    const name = (text(claims[provider.nameClaim]) ?? email.split('@')[0]).slice(0, 200);
    // The claim's language as one of LabShare's (th-TH → th), else English; a catalog still missing falls back.
    const created = await rawQuery<WriteResult>(
      sequelize,
      'INSERT INTO users (institution_id, email, name, time_zone, locale) VALUES (?, ?, ?, ?, ?)',
      [provider.institutionId, email, name, zone && IANAZone.isValidZone(zone) ? zone : institution.timeZone, closestLocale(locale, LOCALES.map((l) => l.tag)) ?? 'en'],
      { transaction },
    );
    await rawQuery(sequelize, 'INSERT INTO user_identities (user_id, issuer, subject, created_at, last_sign_in_at) VALUES (?, ?, ?, ?, ?)', [created.insertId, issuer, subject, now, now], { transaction });
    return { userId: created.insertId, institutionId: provider.institutionId, email, created: true };
  });
  if ('disabledUserId' in outcome) {
    await endAllSessions(outcome.disabledUserId, clock);
    throw new OidcSignInError('USER_DISABLED', `user ${outcome.disabledUserId} is disabled`);
  }
  return outcome;
}
