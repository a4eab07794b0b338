import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Dockerfile's and docker-compose.yml's own instructions, carried out without Docker (compiled-build.int-spec.ts):
 * each stage gets a directory that stands for its file system root, COPY copies from the build context (or from
 * another stage's directory), RUN runs in `sh -c` with the stage's ENV, and CMD is kept for the caller to start.
 * Only what our Dockerfile uses is understood (FROM ... AS, WORKDIR, COPY [--from], RUN, ENV, CMD, USER, EXPOSE);
 * anything else fails the test, so a new instruction is noticed rather than skipped.
 */
export type Instruction =
  | { kind: 'WORKDIR'; dir: string }
  | { kind: 'COPY'; from?: string; sources: string[]; dest: string }
  | { kind: 'RUN'; command: string }
  | { kind: 'ENV'; vars: Record<string, string> }
  | { kind: 'CMD'; argv: string[] }
  | { kind: 'IGNORED'; line: string };

export interface DockerStage {
  name: string;
  image: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): DockerStage[] {
  // Docker drops comment lines, also inside a continued instruction, then joins the continuations.
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const [keyword, ...restWords] = line.split(/\s+/);
    const rest = line.slice(keyword.length).trim();
    if (keyword === 'FROM') {
      const match = /^(\S+)\s+AS\s+(\S+)$/i.exec(rest);
      if (!match) throw new Error(`Dockerfile: unnamed stage "${line}"`);
      stages.push({ image: match[1], name: match[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: "${line}" before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.instructions.push({ kind: 'WORKDIR', dir: rest });
        break;
      case 'COPY': {
        const from = restWords[0]?.startsWith('--from=') ? restWords[0].slice('--from='.length) : undefined;
        const paths = from ? restWords.slice(1) : restWords;
        stage.instructions.push({ kind: 'COPY', from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] });
        break;
      }
      case 'RUN':
        stage.instructions.push({ kind: 'RUN', command: rest });
        break;
      case 'ENV':
        // key=value pairs; the value is everything after the first '=' (NODE_OPTIONS=--max-semi-space-size=64).
        stage.instructions.push({ kind: 'ENV', vars: Object.fromEntries(restWords.map((pair) => /^([^=]+)=(.*)$/.exec(pair)!.slice(1, 3) as [string, string])) });
        break;
      case 'CMD':
        stage.instructions.push({ kind: 'CMD', argv: JSON.parse(rest) as string[] });
        break;
      case 'USER':
      case 'EXPOSE':
        stage.instructions.push({ kind: 'IGNORED', line });
        break;
      default:
        throw new Error(`Dockerfile: instruction ${keyword} is not understood by the compiled-build test`);
    }
  }
  return stages;
}

export interface StageRun {
  /** The directory standing for the stage's "/". */
  root: string;
  /** The stage's last WORKDIR inside root. */
  workdir: string;
  env: Record<string, string>;
  cmd?: string[];
  /** Seconds per RUN, in order. */
  timings: { command: string; seconds: number }[];
}

export interface StageOptions {
  /** The build context (the repository's files, as Docker would send them). */
  context: string;
  root: string;
  /** Stages already run, by name, for COPY --from. */
  stages: Record<string, StageRun>;
  env: NodeJS.ProcessEnv;
  /** Returns the command to run instead of a RUN's (or null to skip it), with the reason in the log. */
  adapt: (command: string) => string | null;
  log: (line: string) => void;
}

/** Carries out one stage's instructions; throws with the failing command's last output lines. */
export async function runStage(stage: DockerStage, options: StageOptions): Promise<StageRun> {
  const run: StageRun = { root: options.root, workdir: options.root, env: {}, timings: [] };
  const resolveIn = (root: string, workdir: string, p: string) =>
    p.startsWith('/') ? path.join(root, p) : path.join(workdir, p);
  mkdirSync(options.root, { recursive: true });
  for (const instruction of stage.instructions) {
    switch (instruction.kind) {
      case 'WORKDIR':
        run.workdir = path.join(options.root, instruction.dir);
        mkdirSync(run.workdir, { recursive: true });
        break;
      case 'ENV':
        Object.assign(run.env, instruction.vars);
        break;
      case 'CMD':
        run.cmd = instruction.argv;
        break;
      case 'IGNORED':
        break;
      case 'COPY': {
        const from = instruction.from ? options.stages[instruction.from] : undefined;
        if (instruction.from && !from) throw new Error(`COPY --from=${instruction.from}: that stage has not been run`);
        const target = resolveIn(options.root, run.workdir, instruction.dest);
        const intoDirectory = instruction.dest.endsWith('/') || instruction.dest === '.' || instruction.sources.length > 1;
        for (const source of instruction.sources) {
          const origin = from ? resolveIn(from.root, from.root, source) : path.join(options.context, source);
          if (!existsSync(origin)) throw new Error(`COPY ${source}: not found (${origin})`);
          // A directory's contents go into the target; a file goes into it when the target is a directory.
          const destination = statSync(origin).isDirectory() || !intoDirectory ? target : path.join(target, path.basename(origin));
          mkdirSync(path.dirname(destination), { recursive: true });
          cpSync(origin, destination, { recursive: true });
        }
        break;
      }
      case 'RUN': {
        const command = options.adapt(instruction.command);
        if (command === null) {
          options.log(`skipped: RUN ${instruction.command}`);
          break;
        }
        const started = Date.now();
        await shell(command, run.workdir, { ...options.env, ...run.env }, options.log);
        run.timings.push({ command, seconds: (Date.now() - started) / 1000 });
        break;
      }
    }
  }
  return run;
}

/** Runs `sh -c command`; its output goes to the log; a failure throws with the last 40 lines. */
export function shell(command: string, cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  log(`$ ${command}   (in ${cwd})`);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        log(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`"${command}" failed (${signal ?? `exit code ${code}`}):\n${tail.join('\n')}`)),
    );
  });
}

/**
 * A directory holding an `npm` that is npm 10, the npm of the node:20 images, whatever npm this machine has:
 * put it first on PATH. npx fetches npm@10 once into its cache.
 */
export function npm10Shim(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'npm');
  writeFileSync(file, '#!/bin/sh\nexec npx --yes npm@10 "$@"\n');
  chmodSync(file, 0o755);
  return dir;
}

/** A log file and a writer of lines to it. */
export function logFile(file: string): { log: (line: string) => void; close: () => void } {
  const stream = createWriteStream(file, { flags: 'a' });
  return { log: (line) => void stream.write(line + '\n'), close: () => stream.end() };
}

/** The `command: [...]` of a docker-compose.yml service (our file writes each as one JSON-like line). */
export function composeCommand(composeText: string, service: string): string[] {
  const lines = composeText.split('\n');
  const start = lines.findIndex((line) => line === `  ${service}:`);
  if (start < 0) throw new Error(`docker-compose.yml: no service ${service}`);
  for (const line of lines.slice(start + 1)) {
    if (/^ {2}\S/.test(line) || /^\S/.test(line)) break;
    const match = /^\s+command:\s*(\[.*\])\s*$/.exec(line);
    if (match) return JSON.parse(match[1]) as string[];
  }
  throw new Error(`docker-compose.yml: service ${service} has no one-line command`);
}

/**
 * The build context as Docker would send it from this clone: the working tree's files that git tracks or would
 * track (so uncommitted changes count; .gitignore and .dockerignore both leave out node_modules, dist and .data).
 */
export function copyContext(repoRoot: string, target: string): number {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, maxBuffer: 64 << 20 })
    .toString()
    .split('\0')
    .filter(Boolean);
  let copied = 0;
  for (const file of new Set(listed)) {
    const origin = path.join(repoRoot, file);
    // A tracked file deleted in the working tree is not in the context.
    if (!existsSync(origin) || statSync(origin).isDirectory()) continue;
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    cpSync(origin, path.join(target, file));
    copied++;
  }
  return copied;
}
