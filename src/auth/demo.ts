// One-click sign-in as a seeded demo person, so a newcomer tries LabShare in a browser a minute after `npm start`.
// Never in production: the refusal is checked here, in the domain, not only by hiding the buttons.
import { DEMO_USERS } from '../../seeders/data/users';
import type { Config } from '../config';
import { User } from '../db/models';
import { rawQuery } from '../db/raw';

export type DemoRole = keyof typeof DEMO_USERS;

export interface DemoPerson {
  userId: number;
  name: string;
  email: string;
  role: DemoRole;
  institution: string;
}

export const demoSignInAvailable = (cfg: Pick<Config, 'NODE_ENV'>) => cfg.NODE_ENV !== 'production';

/** The demo people present in this database (none until the demo is seeded), researcher first. */
export async function demoPeople(cfg: Pick<Config, 'NODE_ENV'>): Promise<DemoPerson[]> {
  if (!demoSignInAvailable(cfg)) return [];
  const roles = (Object.entries(DEMO_USERS) as [DemoRole, string][]).sort(([a], [b]) => order(a) - order(b));
  const rows = await rawQuery<{ id: number; name: string; email: string; institution: string }[]>(
    User.sequelize!,
    `SELECT u.id, u.name, u.email, i.name AS institution FROM users u JOIN institutions i ON i.id = u.institution_id
      WHERE u.email IN (?) AND u.disabled_at IS NULL`,
    [roles.map(([, email]) => email)],
    { type: 'read' },
  );
  return roles.flatMap(([role, email]) => {
    const row = rows.find((r) => r.email === email);
    return row ? [{ userId: row.id, name: row.name, email: row.email, role, institution: row.institution }] : [];
  });
}

const order = (role: DemoRole) => ['researcher', 'manager', 'admin'].indexOf(role);

/** The demo person with this id, or null when demo sign-in is off or the id is not a demo person. */
export async function demoPerson(cfg: Pick<Config, 'NODE_ENV'>, userId: number): Promise<DemoPerson | null> {
  return (await demoPeople(cfg)).find((p) => p.userId === userId) ?? null;
}
