// The approvals queue: every PENDING request in the labs the viewer manages (all labs, for admins), the longest
// waiting first. Decide one by one or several at once; each decision carries the version the manager saw, so a
// request someone else decided meanwhile comes back STALE_VERSION or INVALID_STATE and is shown as taken, never
// overwritten. A link from an approval e-mail (/approvals?booking=<id>) opens the page on that request, highlighted.
import { DateTime } from 'luxon';
import { useEffect, useMemo, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { useSearch } from 'wouter';
import { ErrorBox, Loading } from '../../components/error-box';
import { StatusBadge } from '../../components/status-badge';
import { graphql } from '../../gql';
import type { ApprovalItemFragment } from '../../gql/graphql';
import { useT } from '../../i18n';
import { useViewer } from '../../viewer';
import { ApprovalItem, type Outcome } from './approval-item';

const ApprovalsQuery = graphql(`
  query Approvals($filter: BookingFilter!) {
    bookings(filter: $filter, first: 100) {
      nodes {
        ...ApprovalItem
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const ApproveMutation = graphql(`
  mutation ApproveRequest($input: DecideBookingInput!) {
    approveBooking(input: $input) {
      booking {
        id
        status
        version
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RejectMutation = graphql(`
  mutation RejectRequest($input: DecideBookingInput!) {
    rejectBooking(input: $input) {
      booking {
        id
        status
        version
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const DecidedQuery = graphql(`
  query DecidedBooking($id: ID!) {
    booking(id: $id) {
      id
      status
      reference
    }
  }
`);

/** The request named by ?booking=<id> (a link from an e-mail), or null. */
function useFocusedRequest(): string | null {
  const id = new URLSearchParams(useSearch()).get('booking');
  return id && /^\d{1,15}$/.test(id) ? id : null;
}

/** The version check's two answers: changed since it was read, or no longer PENDING. */
const TAKEN_CODES = new Set(['STALE_VERSION', 'INVALID_STATE']);

export default function ApprovalsPage() {
  const t = useT();
  const viewer = useViewer();
  const client = useClient();
  const variables = useMemo(() => ({ filter: { status: ['PENDING' as const], from: new Date().toISOString() } }), []);
  const [{ data, error, fetching }, refetch] = useQuery({ query: ApprovalsQuery, variables });
  const [, approve] = useMutation(ApproveMutation);
  const [, reject] = useMutation(RejectMutation);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [bulkNote, setBulkNote] = useState('');
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  // Requests decided on this page stay in view with their outcome after the queue reloads without them.
  const [decided, setDecided] = useState<Record<string, ApprovalItemFragment>>({});
  const [busy, setBusy] = useState(false);
  const now = DateTime.now();
  const focused = useFocusedRequest();

  const managed = useMemo(() => new Set(viewer.managedLabs.map((l) => l.id)), [viewer.managedLabs]);
  const queue = useMemo(() => {
    // `bookings` also holds the viewer's own requests elsewhere: the queue is the labs they run.
    const pending = (data?.bookings.nodes ?? []).filter((b) => viewer.isAdmin || managed.has(b.instrument.lab.id));
    const ids = new Set(pending.map((b) => b.id));
    return [...pending, ...Object.values(decided).filter((b) => !ids.has(b.id))].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id),
    );
  }, [data, decided, managed, viewer.isAdmin]);
  const open = queue.filter((b) => !outcomes[b.id] || outcomes[b.id].kind === 'ERROR');
  const focusedInQueue = Boolean(focused && queue.some((b) => b.id === focused));
  // A request from the link that is not in the queue (decided, expired, not this manager's): say so, with its status.
  const [{ data: focusedData, fetching: focusedFetching }] = useQuery({ query: DecidedQuery, variables: { id: focused ?? '0' }, pause: !focused || !data || focusedInQueue });

  useEffect(() => {
    if (!focusedInQueue) return;
    const item = document.querySelector<HTMLElement>(`article[data-booking-id="${focused}"]`);
    item?.scrollIntoView({ block: 'center' });
    item?.focus({ preventScroll: true });
  }, [focused, focusedInQueue]);

  async function decideOne(booking: ApprovalItemFragment, action: 'APPROVE' | 'REJECT', note: string): Promise<Outcome> {
    const input = { id: booking.id, version: booking.version, note: note.trim() || null };
    const answer = action === 'APPROVE' ? (await approve({ input })).data?.approveBooking : (await reject({ input })).data?.rejectBooking;
    if (!answer) return { kind: 'ERROR', codes: ['BAD_INPUT'] };
    if (answer.errors.length === 0) return { kind: action === 'APPROVE' ? 'APPROVED' : 'REJECTED' };
    if (answer.errors.some((e) => TAKEN_CODES.has(e.code))) {
      const now = await client.query(DecidedQuery, { id: booking.id }, { requestPolicy: 'network-only' }).toPromise();
      return { kind: 'TAKEN', status: now.data?.booking?.status ?? null };
    }
    return { kind: 'ERROR', codes: answer.errors.map((e) => e.code) };
  }

  async function decide(bookings: ApprovalItemFragment[], action: 'APPROVE' | 'REJECT', noteOf: (b: ApprovalItemFragment) => string) {
    setBusy(true);
    try {
      // One after another: each is its own transaction on the server, and the outcomes appear as they come.
      for (const booking of bookings) {
        const outcome = await decideOne(booking, action, noteOf(booking));
        setOutcomes((all) => ({ ...all, [booking.id]: outcome }));
        if (outcome.kind !== 'ERROR') setDecided((all) => ({ ...all, [booking.id]: booking }));
      }
      setSelected(new Set());
    } finally {
      setBusy(false);
    }
  }

  const chosen = open.filter((b) => selected.has(b.id));

  return (
    <section className="approvals">
      <h1>{t('approvals.title')}</h1>
      <p className="muted">{t('approvals.intro')}</p>
      {error && <ErrorBox error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {!data && fetching && <Loading />}
      {data && (
        <p role="status" className="muted">
          {t('approvals.count', { count: open.length })}
        </p>
      )}
      {focused && data && !focusedInQueue && !focusedFetching && (
        <p className="notice" role="alert">
          {focusedData?.booking ? (
            <>
              {t('approvals.focusedGone', { id: focusedData.booking.reference })} <StatusBadge status={focusedData.booking.status} />
            </>
          ) : (
            t('approvals.focusedMissing')
          )}
        </p>
      )}
      {open.length > 0 && (
        <div className="card bulk" role="group" aria-label={t('approvals.bulk')}>
          <div className="actions">
            <input
              type="checkbox"
              id="select-all"
              checked={chosen.length > 0 && chosen.length === open.length}
              onChange={(e) => setSelected(e.target.checked ? new Set(open.map((b) => b.id)) : new Set())}
            />
            <label htmlFor="select-all">{t('approvals.selectAll')}</label>
          </div>
          <div className="inline-form">
            <div className="field">
              <label htmlFor="bulk-note">{t('approvals.bulkNote')}</label>
              <input id="bulk-note" value={bulkNote} onChange={(e) => setBulkNote(e.target.value)} maxLength={500} />
            </div>
            <div className="actions">
              <button type="button" className="primary" disabled={busy || chosen.length === 0} onClick={() => decide(chosen, 'APPROVE', () => bulkNote)}>
                {t('approvals.approveSelected', { count: chosen.length })}
              </button>
              <button type="button" className="danger" disabled={busy || chosen.length === 0} onClick={() => decide(chosen, 'REJECT', () => bulkNote)}>
                {t('approvals.rejectSelected', { count: chosen.length })}
              </button>
            </div>
          </div>
        </div>
      )}
      {data?.bookings.pageInfo.hasNextPage && <p className="muted">{t('approvals.more')}</p>}
      {queue.map((b) => (
        <ApprovalItem
          key={b.id}
          booking={b}
          focused={b.id === focused}
          now={now}
          selected={selected.has(b.id)}
          onSelect={(on) =>
            setSelected((all) => {
              const next = new Set(all);
              if (on) next.add(b.id);
              else next.delete(b.id);
              return next;
            })
          }
          note={notes[b.id] ?? ''}
          onNote={(note) => setNotes((all) => ({ ...all, [b.id]: note }))}
          outcome={outcomes[b.id]}
          busy={busy}
          onDecide={(action) => decide([b], action, () => notes[b.id] ?? '')}
        />
      ))}
    </section>
  );
}
