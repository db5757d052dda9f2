// Every migration, in order. Listed explicitly so compiled and ts-node runs see the same set.
import type { QueryInterface } from 'sequelize';
import * as m001 from './001-core-schema';
import * as m002 from './002-access-and-delivery';
import * as m003 from './003-app-secrets';
import * as m004 from './004-sign-in';
import * as m005 from './005-notification-preferences';
import * as m006 from './006-booking-series';
import * as m007 from './007-booking-groups';

export interface MigrationModule {
  up(args: { context: QueryInterface }): Promise<void>;
  down(args: { context: QueryInterface }): Promise<void>;
}

export const migrations: { name: string; module: MigrationModule }[] = [
  { name: '001-core-schema', module: m001 },
  { name: '002-access-and-delivery', module: m002 },
  { name: '003-app-secrets', module: m003 },
  { name: '004-sign-in', module: m004 },
  { name: '005-notification-preferences', module: m005 },
  { name: '006-booking-series', module: m006 },
  { name: '007-booking-groups', module: m007 },
];
