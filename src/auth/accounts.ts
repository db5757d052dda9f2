// Disabling an account (platform admins): the user cannot sign in, and every session ends at once. Personal access
// tokens and JWTs stop too: authentication checks users.disabled_at on every request.
import { badInput, notFound } from '../errors';
import { systemClock, type Clock } from '../clock';
import { User } from '../db/models';
import type { UserRow } from '../db/rows';
import { requireAdmin } from '../access/policies';
import type { Viewer } from '../access/viewer';
import type { AccessUserError } from '../access/user-errors';
import { endAllSessions } from './sessions';

export async function setUserDisabled(viewer: Viewer, userId: number, disabled: boolean, clock: Clock = systemClock): Promise<{ user: UserRow | null; errors: AccessUserError[] }> {
  const admin = requireAdmin(viewer);
  if (disabled && userId === admin.userId) {
    return { user: null, errors: [badInput('userId', 'DISABLE_SELF')] };
  }
  const user = await User.findByPk(userId, { raw: true });
  if (!user) return { user: null, errors: [notFound('userId', 'user')] };
  if (disabled && !user.disabledAt) {
    await User.update({ disabledAt: clock.now().toJSDate() }, { where: { id: userId } });
    await endAllSessions(userId, clock);
  } else if (!disabled && user.disabledAt) {
    await User.update({ disabledAt: null }, { where: { id: userId } });
  }
  return { user: await User.findByPk(userId, { raw: true }), errors: [] };
}
