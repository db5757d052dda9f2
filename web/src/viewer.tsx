// The signed-in person as every page needs them: who, and which zone their times are shown in.
import { createContext, useContext } from 'react';

export interface Viewer {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  locale: string;
  isAdmin: boolean;
  /** Labs this person manages: their approvals queue and settings. */
  managedLabs: { id: string; name: string; timeZone: string }[];
}

/** Whether the manager pages (approvals, lab settings, usage) apply to this person. */
export const managesLabs = (viewer: Viewer) => viewer.isAdmin || viewer.managedLabs.length > 0;

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside a signed-in page');
  return viewer;
}
