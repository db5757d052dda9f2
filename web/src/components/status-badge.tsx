import type { BookingStatus } from '../gql/graphql';
import { useT, type MessageId } from '../i18n';

export function StatusBadge({ status }: { status: BookingStatus }) {
  const t = useT();
  return <span className={`badge status-${status.toLowerCase()}`}>{t(`status.${status}` as MessageId)}</span>;
}
