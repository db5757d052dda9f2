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
    if (name.length >= 1 && name.length <= 200) values.name = name;
    else errors.push({ code: 'BAD_INPUT', field: 'name', message: 'Name must be 1 to 200 characters.' });
  }
  if (errors.length) return { user: null, errors };
  if (Object.keys(values).length) await User.update(values, { where: { id: userId } });
  return { user: await User.findByPk(userId, { raw: true }), errors };
}
