import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadFromApi } from './download-file';

interface Props {
  /** The API path of the file (same origin, session cookie). */
  path: string;
  /** The name to save under when the API names none. */
  fallbackName: string;
  label: string;
  testId: string;
}

/** A button that downloads a file the API makes (a PDF, a zip), says when it is busy and shows a refusal in words. */
export function DownloadButton({ path, fallbackName, label, testId }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  async function download() {
    setBusy(true);
    setMessage(null);
    try {
      const file = await downloadFromApi(path, fallbackName);
      setMessage({ text: t('snapshots.downloads.done', { file }), error: false });
    } catch (error) {
      setMessage({ text: t('snapshots.downloads.failed', { message: error instanceof Error ? error.message : String(error) }), error: true });
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="download-button">
      <button type="button" className="secondary" onClick={() => void download()} disabled={busy} aria-busy={busy} data-testid={testId}>
        {label}
        {busy && ` (${t('snapshots.downloads.busy')})`}
      </button>
      {message && (
        <span role={message.error ? 'alert' : 'status'} className={message.error ? 'download-error' : 'download-done'} data-testid={`${testId}-message`}>
          {message.text}
        </span>
      )}
    </span>
  );
}
