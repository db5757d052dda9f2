// Who is calling. Built once per request from the Authorization header.
import type { LabRole } from '../db/models/lab-membership';

export interface UserViewer {
  kind: 'USER';
  userId: number;
  institutionId: number;
  isAdmin: boolean;
  timeZone: string;
  locale: string;
}

export interface PartnerViewer {
  kind: 'PARTNER';
  institutionId: number;
  apiKeyId: number;
  scopes: readonly string[];
}

export interface AnonymousViewer {
  kind: 'ANONYMOUS';
}

export type Viewer = UserViewer | PartnerViewer | AnonymousViewer;

export const ANONYMOUS: AnonymousViewer = { kind: 'ANONYMOUS' };

/** Lab roles of a user, loaded on demand (one query per request at most). */
export type LabRoles = ReadonlyMap<number, LabRole>;
