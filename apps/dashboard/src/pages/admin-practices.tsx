import { OrganisationsPage } from '../admin/organisations';

/** /beheer/praktijken (ADMIN). */
export function AdminPracticesPage() {
  return <OrganisationsPage kind="practice" />;
}
