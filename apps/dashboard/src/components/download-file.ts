import { ApiProblem } from '../api/client';

/** The file name of a Content-Disposition header (`attachment; filename="x.pdf"`), or null. */
export function fileNameOf(disposition: string | null): string | null {
  const match = disposition?.match(/filename="?([^";]+)"?/i);
  return match ? match[1] : null;
}

/**
 * Fetches a file from the API (session cookie, same origin) and hands it to the browser as a download under the
 * API's file name. Through fetch rather than a plain link, so a refusal (problem+json) reaches the page as an
 * ApiProblem with the API's words instead of a failed download nobody sees. Returns the file name.
 */
export async function downloadFromApi(path: string, fallbackName: string): Promise<string> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) {
    let problem: { code?: string; detail?: string; title?: string } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      /* not problem+json: the status text below says enough */
    }
    throw new ApiProblem(response.status, problem.code ?? `HTTP.${response.status}`, problem.detail ?? problem.title ?? response.statusText);
  }
  const name = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}
