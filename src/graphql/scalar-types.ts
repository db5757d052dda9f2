import type { DateTime } from 'luxon';
import type { RenderedInstant } from './rendered-instant';

/** What a resolver may return for a DateTime field: rendered in the viewer's zone either way. */
export type DateTimeOutput = DateTime | Date | RenderedInstant;
