import { ComponentType, lazy } from 'react';

/*
 * The record page's code, its own chunk like every view. A lazily loaded view suspends on its first render even when
 * its code has arrived, and React then holds the fallback on screen for at least 300 ms (its Suspense throttling):
 * most of the time to open a record. So the page is loaded ahead (from the list, or at start when the address is a
 * record) and, once loaded, rendered directly.
 */
let loaded: ComponentType | undefined;
const load = () =>
  import('../pages/patient-record').then((m) => {
    loaded = m.PatientRecordPage;
    return { default: m.PatientRecordPage };
  });
const LazyRecordPage = lazy(load);

export function preloadRecordPage(): void {
  if (!loaded) void load();
}

export function PatientRecordRoute() {
  const Page = loaded ?? LazyRecordPage;
  return <Page />;
}
