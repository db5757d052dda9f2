// The shape every locale fills in. To add a language (th, vi, id, ms ...), copy en.ts, translate the strings,
// and list the file in ./index.ts; nothing else changes.

/** Values a message may name; times arrive already rendered in the recipient's zone and locale. */
export interface MessageParams {
  recipientName: string;
  instrument: string;
  lab: string;
  start: string;
  end: string;
  previousStart?: string;
  previousEnd?: string;
  /** Who asked, in messages to managers. */
  requesterName?: string;
  /** "in 24 hours", in the recipient's language. */
  startsIn?: string;
  /** Series messages: the number of occurrences concerned and the last one's start (start/end are the first's). */
  occurrences?: number;
  lastStart?: string;
}

export type MessageKind =
  | 'requestReceived' // to the booker: a PENDING request waits for a manager
  | 'requestForManager' // to each lab manager: decide on a PENDING request
  | 'confirmed'
  | 'rejected'
  | 'cancelled'
  | 'rescheduled' // moved, still confirmed
  | 'rescheduledPending' // moved, needs approval again
  | 'expired'
  | 'reminder'
  | 'seriesRequestReceived' // to the booker: a series waits for a manager (one message for all its occurrences)
  | 'seriesRequestForManager'
  | 'seriesConfirmed'
  | 'seriesRejected'
  | 'seriesCancelled';

export interface MessageText {
  subject: string;
  lines: string[];
}

export interface Catalog {
  /** BCP 47 tag used for dates and durations, e.g. zh-CN. */
  locale: string;
  greeting(name: string): string;
  /** The manager's or system's note, quoted under the message. */
  note(note: string): string;
  closing: string;
  messages: Record<MessageKind, (p: MessageParams) => MessageText>;
}
