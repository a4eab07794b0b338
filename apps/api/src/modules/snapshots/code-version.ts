import { execFileSync } from 'node:child_process';

let cached: string | undefined;

/**
 * The version of the code that computes the figures, as a snapshot records it: CODE_VERSION when set (Docker
 * images and releases set it), else the commit of the git working directory the process runs in, with
 * "-dirty" when files differ from it, else "unknown". Read once per process.
 */
export function codeVersion(configured: string): string {
  if (configured) return configured;
  if (cached !== undefined) return cached;
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim();
    const commit = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    cached = `git ${commit}${dirty ? '-dirty' : ''}`;
  } catch {
    cached = 'unknown';
  }
  return cached;
}
