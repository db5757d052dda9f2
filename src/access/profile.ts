// The signed-in user's own settings.
import { IANAZone } from 'luxon';
import { User } from '../db/models';
import type { UserRow } from '../db/rows';
import { requireUser } from './policies';
import type { Viewer } from './viewer';

export interface ProfileChange {
  timeZone?: string;
  locale?: string;
  name?: string;
}

export interface FieldError {
  code: 'BAD_INPUT';
  message: string;
  field: string;
}

export function canonicalLocale(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical && canonical.length <= 16 ? canonical : null;
  } catch {
    return null;
  }
}

export const NAME_MAX_CHARACTERS = 200;
// A name is quoted in other people's e-mails, calendar invites and subject lines: one line of printable text, so it
// cannot start a line of its own there ("URGENT: …"). Control characters (CR, LF, TAB, NUL…), line and paragraph
// separators, lone surrogates and the bidi embedding/override/isolate controls (which reorder the text around them)
// are refused; letters of every script, combining marks and ZWJ/ZWNJ are kept.
const NOT_ONE_PRINTABLE_LINE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

/** Why a (trimmed) display name is refused, or null when it is fine. */
export function displayNameProblem(name: string): string | null {
  const characters = [...name].length;
  if (characters < 1 || characters > NAME_MAX_CHARACTERS) return `Name must be 1 to ${NAME_MAX_CHARACTERS} characters.`;
  if (NOT_ONE_PRINTABLE_LINE.test(name)) return 'Name must be one line of printable text: no line breaks, tabs or control characters.';
  return null;
}

export async function updateProfile(viewer: Viewer, change: ProfileChange): Promise<{ user: UserRow | null; errors: FieldError[] }> {
  const { userId } = requireUser(viewer);
  const errors: FieldError[] = [];
  const values: Partial<UserRow> = {};
  if (change.timeZone !== undefined) {
    if (IANAZone.isValidZone(change.timeZone)) values.timeZone = change.timeZone;
    else errors.push({ code: 'BAD_INPUT', field: 'timeZone', message: `"${change.timeZone}" is not an IANA time zone.` });
  }
  if (change.locale !== undefined) {
    const locale = canonicalLocale(change.locale);
    if (locale) values.locale = locale;
    else errors.push({ code: 'BAD_INPUT', field: 'locale', message: `"${change.locale}" is not a BCP 47 language tag (e.g. zh-CN, th, vi).` });
  }
  if (change.name !== undefined) {
    const name = change.name.trim();
    const problem = displayNameProblem(name);
    if (problem) errors.push({ code: 'BAD_INPUT', field: 'name', message: problem });
    else values.name = name;
  }
  if (errors.length) return { user: null, errors };
  if (Object.keys(values).length) await User.update(values, { where: { id: userId } });
  return { user: await User.findByPk(userId, { raw: true }), errors };
}
