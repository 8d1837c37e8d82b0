import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { paths } from '../routes';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. <Link to={paths.domains}>Go to Domains</Link>.
      </p>
    </>
  );
}
