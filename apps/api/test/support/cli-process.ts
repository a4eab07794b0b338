import { spawnTypeScript } from '@copd/dev-stack';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in its own process, as `npm run cli -- ...` does, as the operator `cli:tester`; `env` is added to
 * this process's environment (DATABASE_URL and the like).
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawnTypeScript(['apps/api/src/cli.ts', ...args], { env: { ...process.env, CLI_OPERATOR: 'tester', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
