import type { InstitutionSeed } from './types';

/** Hosts in China and all ten ASEAN member states, plus one European partner in a zone with DST. */
export const INSTITUTIONS: InstitutionSeed[] = [
  { ref: 'kib', name: 'Kunming Institute of Botany, CAS', countryCode: 'CN', timeZone: 'Asia/Shanghai' },
  { ref: 'gxu', name: 'Guangxi University', countryCode: 'CN', timeZone: 'Asia/Shanghai' },
  { ref: 'chula', name: 'Chulalongkorn University', countryCode: 'TH', timeZone: 'Asia/Bangkok' },
  { ref: 'vnu', name: 'Vietnam National University, Hanoi', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' },
  { ref: 'ui', name: 'Universitas Indonesia', countryCode: 'ID', timeZone: 'Asia/Jakarta' },
  { ref: 'unhas', name: 'Universitas Hasanuddin', countryCode: 'ID', timeZone: 'Asia/Makassar' },
  { ref: 'um', name: 'Universiti Malaya', countryCode: 'MY', timeZone: 'Asia/Kuala_Lumpur' },
  { ref: 'nus', name: 'National University of Singapore', countryCode: 'SG', timeZone: 'Asia/Singapore' },
  { ref: 'upd', name: 'University of the Philippines Diliman', countryCode: 'PH', timeZone: 'Asia/Manila' },
  { ref: 'ubd', name: 'Universiti Brunei Darussalam', countryCode: 'BN', timeZone: 'Asia/Brunei' },
  { ref: 'rupp', name: 'Royal University of Phnom Penh', countryCode: 'KH', timeZone: 'Asia/Phnom_Penh' },
  { ref: 'nuol', name: 'National University of Laos', countryCode: 'LA', timeZone: 'Asia/Vientiane' },
  { ref: 'uy', name: 'University of Yangon', countryCode: 'MM', timeZone: 'Asia/Yangon' },
  { ref: 'mpimp', name: 'Max Planck Institute of Molecular Plant Physiology', countryCode: 'DE', timeZone: 'Europe/Berlin' },
];
