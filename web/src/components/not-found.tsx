import { Link } from 'wouter';
import { useT } from '../i18n';

export default function NotFound() {
  const t = useT();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link href="/">{t('nav.home')}</Link>
      </p>
    </section>
  );
}
