// "Add another instrument": the other parts of a booking group, found by name in any lab, each with its own span
// (the dialog's span until edited, in the viewer's zone). The API books all parts or none; a part it refused shows
// its problems beside it (the errors name it by field, items.<n>.start).
import { DateTime } from 'luxon';
import { useState } from 'react';
import { useClient } from 'urql';
import { FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment } from '../../gql/graphql';
import { useT } from '../../i18n';

/** The API's limit on the parts of one group (the dialog's own instrument is one of them). */
export const MAX_GROUP_ITEMS = 10;

const GroupInstrumentSearchQuery = graphql(`
  query GroupInstrumentSearch($search: String!) {
    instruments(filter: { search: $search, status: AVAILABLE }, first: 8) {
      nodes {
        id
        name
        lab {
          id
          name
        }
      }
    }
  }
`);

export interface GroupItem {
  instrumentId: string;
  name: string;
  labName: string;
  /** datetime-local values in the viewer's zone; null while the item follows the dialog's span. */
  start: string | null;
  end: string | null;
}

const LOCAL = "yyyy-MM-dd'T'HH:mm";
export const localInput = (at: DateTime) => at.toFormat(LOCAL);

/** The item's span as instants: its own when edited, else the dialog's. */
export function itemSpan(item: GroupItem, span: { start: DateTime; end: DateTime }, zone: string): { start: DateTime; end: DateTime } {
  return {
    start: item.start ? DateTime.fromFormat(item.start, LOCAL, { zone }) : span.start,
    end: item.end ? DateTime.fromFormat(item.end, LOCAL, { zone }) : span.end,
  };
}

/** The problems of part n (fields items.<n> and items.<n>.*). */
export const errorsOfItem = (errors: UserErrorFieldsFragment[], n: number) =>
  errors.filter((e) => e.field === `items.${n}` || e.field?.startsWith(`items.${n}.`));

interface Props {
  items: GroupItem[];
  onChange(items: GroupItem[]): void;
  span: { start: DateTime; end: DateTime };
  viewerZone: string;
  /** Ids already in the group (the dialog's own instrument among them). */
  taken: string[];
  errors: UserErrorFieldsFragment[];
}

export function GroupItems({ items, onChange, span, viewerZone, taken, errors }: Props) {
  const t = useT();
  const client = useClient();
  const [open, setOpen] = useState(items.length > 0);
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<{ id: string; name: string; lab: { name: string } }[] | null>(null);
  const full = items.length + 1 >= MAX_GROUP_ITEMS;

  async function find() {
    if (!search.trim()) return;
    const answer = await client.query(GroupInstrumentSearchQuery, { search: search.trim() }, { requestPolicy: 'network-only' }).toPromise();
    setFound(answer.data?.instruments.nodes ?? []);
  }

  const update = (i: number, change: Partial<GroupItem>) => onChange(items.map((item, j) => (j === i ? { ...item, ...change } : item)));

  if (!open) {
    return (
      <div className="actions">
        <button type="button" onClick={() => setOpen(true)} aria-expanded={false}>
          {t('group.add')}
        </button>
      </div>
    );
  }

  return (
    <fieldset className="group-items">
      <legend>{t('group.legend')}</legend>
      <p className="muted">{t('group.allOrNothing')}</p>
      {items.length > 0 && (
        <ol className="group-list">
          {items.map((item, i) => {
            const own = itemSpan(item, span, viewerZone);
            const n = i + 1; // part 0 is the dialog's own instrument
            const problems = errorsOfItem(errors, n);
            const id = `group-item-${n}`;
            return (
              <li key={`${item.instrumentId}-${i}`} className={problems.length ? 'group-item refused' : 'group-item'} data-instrument-id={item.instrumentId}>
                <div className="strong" id={`${id}-name`}>
                  {item.name} <span className="muted">· {item.labName}</span>
                </div>
                <div className="group-span">
                  <div className="field">
                    <label htmlFor={`${id}-start`}>{t('group.itemStart', { name: item.name })}</label>
                    <input id={`${id}-start`} type="datetime-local" step={60} value={localInput(own.start.setZone(viewerZone))} onChange={(e) => update(i, { start: e.target.value || null })} />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-end`}>{t('group.itemEnd', { name: item.name })}</label>
                    <input id={`${id}-end`} type="datetime-local" step={60} value={localInput(own.end.setZone(viewerZone))} onChange={(e) => update(i, { end: e.target.value || null })} />
                  </div>
                </div>
                <FieldErrors errors={problems} id={`${id}-errors`} />
                <button type="button" className="link-button" onClick={() => onChange(items.filter((_, j) => j !== i))} aria-describedby={`${id}-name`}>
                  {t('group.remove')}
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {full ? (
        <p className="muted">{t('group.full', { max: MAX_GROUP_ITEMS })}</p>
      ) : (
        <div className="group-search">
          <div className="field">
            <label htmlFor="group-search">{t('group.search')}</label>
            <input
              id="group-search"
              type="search"
              // Opened by "Add another instrument": the search is what comes next.
              autoFocus
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={(e) => {
                // Enter searches here; it must not submit the booking.
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void find();
                }
              }}
            />
          </div>
          <button type="button" onClick={() => void find()}>
            {t('group.find')}
          </button>
        </div>
      )}
      <div role="status" className="group-found">
        {found && found.length === 0 && <p className="muted">{t('group.noneFound')}</p>}
        {found && found.length > 0 && !full && (
          <ul className="group-results">
            {found
              .filter((f) => !taken.includes(f.id))
              .map((f) => (
                <li key={f.id}>
                  <button
                    type="button"
                    onClick={() => {
                      onChange([...items, { instrumentId: f.id, name: f.name, labName: f.lab.name, start: null, end: null }]);
                      setFound(null);
                      setSearch('');
                      // The button goes away with the results: keyboard focus moves on to the new part's start.
                      requestAnimationFrame(() => document.getElementById(`group-item-${items.length + 1}-start`)?.focus());
                    }}
                  >
                    {t('group.addThis', { name: f.name, lab: f.lab.name })}
                  </button>
                </li>
              ))}
          </ul>
        )}
      </div>
    </fieldset>
  );
}
