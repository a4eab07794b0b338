import { OrganisationsPage } from '../admin/organisations';

/** /beheer/verzekeraars (ADMIN). */
export function AdminInsurersPage() {
  return <OrganisationsPage kind="insurer" />;
}
