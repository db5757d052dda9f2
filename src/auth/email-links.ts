// E-mail sign-in links for institutions without an identity provider (an admin turns them on per institution):
// single use, valid 15 minutes, stored hashed. Asking for one answers the same whether or not the address may sign
// in; the lookup and the sending happen after the answer, so its timing says nothing either.
import type { Sequelize } from 'sequelize';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import { User } from '../db/models';
import { rawQuery, type WriteResult } from '../db/raw';
import type { Mailer } from '../notifications/mailer';
import { parseMailbox } from '../notifications/calendar';
import { randomSecret, sha256 } from './hashing';
import { signInWords } from './messages';

export const LINK_MINUTES = 15;
const db = (): Sequelize => User.sequelize!;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
export const looksLikeEmail = (email: string) => /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{2,63}$/.test(email);

/**
 * Mails a link to the address if it belongs to an enabled account of an institution with e-mail sign-in on; does
 * nothing otherwise. Returns whether a link was sent, for tests and logs only: never show it to the requester.
 */
export async function sendSignInLink(
  email: string,
  deps: { cfg: Pick<Config, 'MAIL_FROM'>; mailer: Mailer; baseUrl: string; clock?: Clock },
): Promise<boolean> {
  const clock = deps.clock ?? systemClock;
  const [user] = await rawQuery<{ id: number; name: string; email: string; locale: string }[]>(
    db(),
    `SELECT u.id, u.name, u.email, u.locale FROM users u JOIN institutions i ON i.id = u.institution_id
      WHERE u.email = ? AND u.disabled_at IS NULL AND i.email_sign_in_enabled`,
    [normaliseEmail(email)],
  );
  if (!user) return false;
  const token = randomSecret();
  const now = clock.now();
  await rawQuery<WriteResult>(
    db(),
    'INSERT INTO sign_in_links (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    [sha256(token), user.id, now.toJSDate(), now.plus({ minutes: LINK_MINUTES }).toJSDate()],
  );
  const t = signInWords({ profile: user.locale });
  const url = `${deps.baseUrl}/auth/email-link?token=${token}&lang=${encodeURIComponent(t.locale)}`;
  const domain = parseMailbox(deps.cfg.MAIL_FROM).email.split('@')[1] || 'labshare';
  await deps.mailer.send({
    from: deps.cfg.MAIL_FROM,
    to: { name: user.name, email: user.email },
    subject: t.say('signIn.email.subject'),
    text: t.say('signIn.email.body', { name: user.name, url, minutes: LINK_MINUTES }),
    messageId: `<sign-in-${sha256(token).slice(0, 32)}@${domain}>`,
    headers: { 'Content-Language': t.language },
  });
  return true;
}

/**
 * Uses a link: marks it used in the same statement that checks it is unused and unexpired, so two clicks cannot both
 * sign in. Null when the link is unknown, used, expired, or its user was disabled or lost e-mail sign-in since.
 */
export async function useSignInLink(token: string, clock: Clock = systemClock): Promise<{ userId: number; institutionId: number; email: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const now = clock.now().toJSDate();
  const hash = sha256(token);
  const used = await rawQuery<WriteResult>(db(), 'UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?', [now, hash, now]);
  if (used.affectedRows !== 1) return null;
  const [user] = await rawQuery<{ userId: number; institutionId: number; email: string }[]>(
    db(),
    `SELECT u.id AS userId, u.institution_id AS institutionId, u.email FROM sign_in_links l JOIN users u ON u.id = l.user_id
       JOIN institutions i ON i.id = u.institution_id WHERE l.token_hash = ? AND u.disabled_at IS NULL AND i.email_sign_in_enabled`,
    [hash],
  );
  return user ?? null;
}
