// The signed-in user's own settings.
import { badInput, type UserError } from '../errors';
import { IANAZone } from 'luxon';
import { User } from '../db/models';
import { liveLocales } from '../i18n/catalogs';
import type { UserRow } from '../db/rows';
import { requireUser } from './policies';
import type { Viewer } from './viewer';

export type Reminder = 'DAY_BEFORE' | 'HOUR_BEFORE';
export type ApprovalMail = 'EACH_REQUEST' | 'DAILY_DIGEST';
export const REMINDERS: readonly Reminder[] = ['DAY_BEFORE', 'HOUR_BEFORE'];

export interface ProfileChange {
  timeZone?: string;
  locale?: string;
  name?: string;
  /** The reminders wanted; empty: none. */
  reminders?: readonly Reminder[];
  approvalMail?: ApprovalMail;
}

/** The reminders column (a MariaDB SET, 'DAY_BEFORE,HOUR_BEFORE') as a list in a fixed order. */
export const remindersOf = (column: string | null | undefined): Reminder[] => REMINDERS.filter((r) => (column ?? '').split(',').includes(r));

/** The language LabShare offers under this tag (case aside: "zh-cn" is zh-CN), or null: a profile holds only those. */
export function offeredLocale(tag: string): string | null {
  const wanted = tag.trim().toLowerCase();
  return liveLocales().find((l) => l.tag.toLowerCase() === wanted)?.tag ?? null;
}

export const NAME_MAX_CHARACTERS = 200;
// A name is quoted in other people's e-mails, calendar invites and subject lines: one line of printable text, so it
// cannot start a line of its own there ("URGENT: …"). Control characters (CR, LF, TAB, NUL…), line and paragraph
// separators, lone surrogates and the bidi embedding/override/isolate controls (which reorder the text around them)
// are refused; letters of every script, combining marks and ZWJ/ZWNJ are kept.
export const NOT_ONE_PRINTABLE_LINE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

/** Why a (trimmed) display name is refused, or null when it is fine. */
export function displayNameProblem(name: string): UserError<'BAD_INPUT'> | null {
  const characters = [...name].length;
  if (characters < 1 || characters > NAME_MAX_CHARACTERS) return badInput('name', 'NAME_LENGTH', { max: NAME_MAX_CHARACTERS });
  if (NOT_ONE_PRINTABLE_LINE.test(name)) return badInput('name', 'NAME_NOT_ONE_LINE');
  return null;
}

export async function updateProfile(viewer: Viewer, change: ProfileChange): Promise<{ user: UserRow | null; errors: UserError<'BAD_INPUT'>[] }> {
  const { userId } = requireUser(viewer);
  const errors: UserError<'BAD_INPUT'>[] = [];
  const values: Partial<UserRow> = {};
  if (change.timeZone !== undefined) {
    if (IANAZone.isValidZone(change.timeZone)) values.timeZone = change.timeZone;
    else errors.push(badInput('timeZone', 'NOT_A_TIME_ZONE', { value: change.timeZone }));
  }
  if (change.locale !== undefined) {
    const locale = offeredLocale(change.locale);
    if (locale) values.locale = locale;
    else errors.push(badInput('locale', 'NOT_A_LOCALE', { value: change.locale, known: liveLocales().map((l) => l.tag) }));
  }
  if (change.name !== undefined) {
    const name = change.name.trim();
    const problem = displayNameProblem(name);
    if (problem) errors.push(problem);
    else values.name = name;
  }
  // The SDL's enums already refused anything else; duplicates collapse.
  if (change.reminders !== undefined) values.reminders = REMINDERS.filter((r) => change.reminders!.includes(r)).join(',');
  if (change.approvalMail !== undefined) values.approvalMail = change.approvalMail;
  if (errors.length) return { user: null, errors };
  if (Object.keys(values).length) await User.update(values, { where: { id: userId } });
  return { user: await User.findByPk(userId, { raw: true }), errors };
}
