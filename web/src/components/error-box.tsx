// A failed request never leaves a blank page: it says what failed and offers to try again.
import type { CombinedError } from 'urql';
import { useT } from '../i18n';

export function ErrorBox({ error, retry }: { error: CombinedError; retry?: () => void }) {
  const t = useT();
  const offline = Boolean(error.networkError);
  return (
    <div className="error-box" role="alert">
      <p>{offline ? t('error.network') : t('error.request')}</p>
      {retry && (
        <button type="button" onClick={retry}>
          {t('error.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
