// The lab or instrument a settings command acts on, after checking that the viewer manages its lab.
import { requireLabManager, requireUser } from '../access/policies';
import type { UserViewer, Viewer } from '../access/viewer';
import { Instrument, Lab } from '../db/models';
import type { InstrumentRow, LabRow } from '../db/rows';
import { notFound } from '../errors';
import type { SettingsError } from './errors';

export const labNotFound = (field = 'labId'): SettingsError => notFound(field, 'lab');
export const instrumentNotFound = (field = 'instrumentId'): SettingsError => notFound(field, 'instrument');

/**
 * The lab, or null when there is none. Throws NotAuthenticated / NotAllowed (FORBIDDEN) unless the viewer is one
 * of its managers or an admin; checked before any input is looked at, so others learn nothing from validation.
 */
export async function managedLab(viewer: Viewer, labId: number): Promise<{ user: UserViewer; lab: LabRow } | null> {
  requireUser(viewer);
  const lab = await Lab.findByPk(labId, { raw: true });
  if (!lab) return null;
  return { user: await requireLabManager(viewer, lab.id), lab };
}

/** The instrument, or null when there is none; the same permission rule, through its lab. */
export async function managedInstrument(viewer: Viewer, instrumentId: number): Promise<{ user: UserViewer; instrument: InstrumentRow } | null> {
  requireUser(viewer);
  const instrument = await Instrument.findByPk(instrumentId, { raw: true });
  if (!instrument) return null;
  return { user: await requireLabManager(viewer, instrument.labId), instrument };
}
