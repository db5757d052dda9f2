// Whether a lab closes on its country's public holidays, and which region's.
import Holidays from 'date-holidays';
import type { Viewer } from '../access/viewer';
import { Lab } from '../db/models';
import type { LabRow } from '../db/rows';
import { runTransaction } from '../db/transaction';
import { isCountrySupported } from '../scheduling';
import { badInput, failure, success, type SettingsResult } from './errors';
import { labNotFound, managedLab } from './targets';

let library: Holidays | undefined;

/** The date-holidays region codes of a country (states, provinces), e.g. BY for Bavaria; empty if it has none. */
export function holidayRegions(countryCode: string): string[] {
  library ??= new Holidays();
  return Object.keys(library.getStates(countryCode.toUpperCase()) ?? {});
}

export async function setPublicHolidays(
  viewer: Viewer,
  input: { labId: number; observesPublicHolidays: boolean; holidayRegion?: string | null },
): Promise<SettingsResult<LabRow>> {
  const target = await managedLab(viewer, input.labId);
  if (!target) return failure(labNotFound());
  const { countryCode } = target.lab;
  const region = input.holidayRegion?.trim().toUpperCase() || null;
  if (input.observesPublicHolidays && !isCountrySupported(countryCode)) {
    return failure(badInput('observesPublicHolidays', 'NO_HOLIDAY_DATA', { country: countryCode }));
  }
  if (region !== null) {
    const regions = holidayRegions(countryCode);
    if (!regions.includes(region)) {
      return failure(badInput('holidayRegion', 'NOT_A_HOLIDAY_REGION', { value: region, country: countryCode, known: regions }));
    }
  }
  const lab = await runTransaction(Lab.sequelize!, { kind: 'models' }, async (transaction) => {
    await Lab.update({ observesPublicHolidays: input.observesPublicHolidays, holidayRegion: region }, { where: { id: target.lab.id }, transaction });
    return (await Lab.findByPk(target.lab.id, { raw: true, transaction })) as LabRow;
  });
  return success(lab);
}
