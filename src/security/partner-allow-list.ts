// What a partner API key may read, as schema coordinates: the ONLY fields a partner request may select.
// Enforced once per request, before execution (see partnerForbiddenField), so a field added to the schema later
// is private to partners until it is listed here. Nothing listed may name or identify a person: partners see
// labs, instruments and free/busy time, never who booked, why, or booking ids.
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { fragmentsOf, walkSelections } from './operation-fields';

export const PARTNER_READABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Query: ['institutions', 'labs', 'lab', 'instruments', 'instrument', 'availability'],
  InstitutionConnection: ['nodes', 'pageInfo'],
  LabConnection: ['nodes', 'pageInfo'],
  InstrumentConnection: ['edges', 'nodes', 'pageInfo'],
  InstrumentEdge: ['cursor', 'node'],
  PageInfo: ['hasNextPage', 'endCursor'],
  Institution: ['id', 'name', 'countryCode', 'timeZone'],
  Lab: [
    'id', 'name', 'countryCode', 'timeZone', 'institution', 'observesPublicHolidays', 'holidayRegion', 'openingHours', 'instruments',
    'holidays',
  ],
  // Closed days without `reason`: free text a manager typed.
  ClosedDay: ['date', 'kind', 'start', 'end'],
  OpeningWindow: ['weekday', 'start', 'end'],
  Instrument: [
    'id', 'lab', 'kind', 'name', 'category', 'description', 'status', 'requiresApproval', 'requiresCheckIn', 'accessPolicy',
    'rules', 'openingHours', 'hasOwnOpeningHours',
  ],
  BookingRules: ['slotMinutes', 'minMinutes', 'maxMinutes', 'minNoticeMinutes', 'maxAdvanceDays', 'bufferAfterMinutes'],
  // Free and busy time: spans without identity (no booker, purpose or booking id).
  InstrumentAvailability: ['instrumentId', 'instrument', 'labTimeZone', 'status', 'free', 'busy'],
  TimeSpan: ['start', 'end'],
  BusySpan: ['start', 'end', 'kind'],
};

const readable = new Set(Object.entries(PARTNER_READABLE_FIELDS).flatMap(([type, fields]) => fields.map((f) => `${type}.${f}`)));

export function isPartnerReadable(typeName: string, fieldName: string): boolean {
  // __typename names a type, not data; introspection (when enabled) describes the schema, not people.
  if (fieldName === '__typename' || fieldName === '__schema' || fieldName === '__type') return true;
  return readable.has(`${typeName}.${fieldName}`);
}

/** The first field (as Type.field) the operation selects that partners may not read, or null if none. */
export function partnerForbiddenField(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): string | null {
  const root = schema.getRootType(operation.operation);
  if (!root) return operation.operation;
  let forbidden: string | null = null;
  walkSelections(schema, fragmentsOf(document), operation.selectionSet, root, ({ node, parentType }) => {
    if (forbidden) return false;
    const name = node.name.value;
    if (!isPartnerReadable(parentType.name, name)) forbidden = `${parentType.name}.${name}`;
    // Introspection results describe types only: nothing below them is data.
    return forbidden === null && name !== '__schema' && name !== '__type';
  });
  return forbidden;
}
