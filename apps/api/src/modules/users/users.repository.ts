import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Arm } from '@copd/domain';
import type { UserRole } from '../../core/actor/actor';
import { escapeLike } from '../../core/database/escape-like';
import { preparedQuery } from '../../core/database/prepared-query';
import { WhereBuilder } from '../../core/database/where-builder';
import { AccountRow, SessionRow, UserColumns } from './user.entity';

const ACCOUNT_COLUMNS = `
  u.id, u.username, u.display_name AS "displayName", u.role, u.insurer_id AS "insurerId",
  i.uzovi, i.name AS "insurerName", u.password_hash IS NOT NULL AS "hasPassword",
  u.disabled_at AS "disabledAt", u.created_at AS "createdAt", u.updated_at AS "updatedAt",
  COALESCE((SELECT jsonb_agg(jsonb_build_object('id', pr.id, 'agb', pr.agb, 'name', pr.name) ORDER BY pr.agb)
            FROM user_practices up JOIN practices pr ON pr.id = up.practice_id
            WHERE up.user_id = u.id), '[]'::jsonb) AS practices`;

/** Users, their practices and their dashboard sessions: the accounts this module owns. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findAccount(id: string, manager?: EntityManager): Promise<AccountRow | null> {
    const rows: AccountRow[] = await (manager ?? this.dataSource.manager).query(
      `SELECT ${ACCOUNT_COLUMNS} FROM users u LEFT JOIN insurers i ON i.id = u.insurer_id WHERE u.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findAccountByUsername(username: string, manager?: EntityManager): Promise<AccountRow | null> {
    const rows: AccountRow[] = await (manager ?? this.dataSource.manager).query(
      `SELECT ${ACCOUNT_COLUMNS} FROM users u LEFT JOIN insurers i ON i.id = u.insurer_id WHERE u.username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** For sign-in only: the hash is read here and nowhere else. */
  async credentials(username: string): Promise<{ id: string; passwordHash: string | null; disabled: boolean } | null> {
    const rows: { id: string; passwordHash: string | null; disabled: boolean }[] = await this.dataSource.query(
      `SELECT id, password_hash AS "passwordHash", disabled_at IS NOT NULL AS disabled FROM users WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** Users of a role and/or matching a search text (part of the username, display name, AGB or UZOVI code). */
  async list(filter: { role?: UserRole; q?: string }, limit: number, offset: number): Promise<[AccountRow[], number]> {
    const where = new WhereBuilder()
      .addIf(filter.role || undefined, (n) => `u.role = ${n}`)
      .addIf(filter.q ? `%${escapeLike(filter.q.trim())}%` : undefined, (n) =>
        `(u.username ILIKE ${n} OR u.display_name ILIKE ${n}
          OR EXISTS (SELECT 1 FROM insurers i2 WHERE i2.id = u.insurer_id AND (i2.uzovi ILIKE ${n} OR i2.name ILIKE ${n}))
          OR EXISTS (SELECT 1 FROM user_practices up2 JOIN practices p2 ON p2.id = up2.practice_id
                     WHERE up2.user_id = u.id AND (p2.agb ILIKE ${n} OR p2.name ILIKE ${n})))`,
      );
    const { params } = where;
    const count: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM users u WHERE ${where.toSql()}`,
      params,
    );
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM users u LEFT JOIN insurers i ON i.id = u.insurer_id
       WHERE ${where.toSql()} ORDER BY u.username LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }

  async insert(columns: UserColumns, manager: EntityManager): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO users (username, display_name, role, insurer_id, password_hash, disabled_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [columns.username, columns.displayName, columns.role, columns.insurerId, columns.passwordHash, columns.disabledAt],
    );
    return rows[0].id;
  }

  async update(id: string, columns: Partial<Omit<UserColumns, 'username'>>, manager: EntityManager): Promise<void> {
    const names: Record<keyof Omit<UserColumns, 'username'>, string> = {
      displayName: 'display_name',
      role: 'role',
      insurerId: 'insurer_id',
      passwordHash: 'password_hash',
      disabledAt: 'disabled_at',
    };
    const sets: string[] = ['updated_at = now()'];
    const params: unknown[] = [id];
    for (const [key, value] of Object.entries(columns)) {
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${names[key as keyof typeof names]} = $${params.length}`);
    }
    await manager.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async setPractices(userId: string, practiceIds: string[], manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM user_practices WHERE user_id = $1`, [userId]);
    if (practiceIds.length > 0) {
      await manager.query(
        `INSERT INTO user_practices (user_id, practice_id) SELECT $1, unnest($2::uuid[])`,
        [userId, practiceIds],
      );
    }
  }

  /** Sessions and practice bindings go with it (ON DELETE CASCADE); tokens it created keep working. */
  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM users WHERE id = $1`, [id]);
  }

  async insertSession(userId: string, tokenHash: string, source: string, expiresAt: Date, manager?: EntityManager): Promise<string> {
    const rows: { id: string }[] = await (manager ?? this.dataSource.manager).query(
      `INSERT INTO user_sessions (user_id, token_hash, source, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [userId, tokenHash, source, expiresAt],
    );
    return rows[0].id;
  }

  /** The live session with this token hash: not expired, not idle too long, its user not disabled. */
  async findSession(tokenHash: string, idleMinutes: number): Promise<SessionRow | null> {
    const rows = await preparedQuery<SessionRow>(
      this.dataSource.manager,
      'session-lookup',
      `SELECT s.id AS "sessionId", s.last_seen_at AS "lastSeenAt", ${ACCOUNT_COLUMNS}
       FROM user_sessions s
       JOIN users u ON u.id = s.user_id
       LEFT JOIN insurers i ON i.id = u.insurer_id
       WHERE s.token_hash = $1 AND s.expires_at > now()
         AND s.last_seen_at > now() - make_interval(mins => $2) AND u.disabled_at IS NULL`,
      [tokenHash, idleMinutes],
    );
    return rows[0] ?? null;
  }

  async touchSession(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE user_sessions SET last_seen_at = now() WHERE id = $1`, [sessionId]);
  }

  async deleteSession(sessionId: string, manager?: EntityManager): Promise<number> {
    const [, affected] = await (manager ?? this.dataSource.manager).query(
      `DELETE FROM user_sessions WHERE id = $1`,
      [sessionId],
    );
    return Number(affected ?? 0);
  }

  /** For the own password change only: the hash of the signed-in user (the hash is read here and in credentials()). */
  async passwordHashOf(userId: string): Promise<string | null> {
    const rows: { hash: string | null }[] = await this.dataSource.query(`SELECT password_hash AS hash FROM users WHERE id = $1`, [userId]);
    return rows[0]?.hash ?? null;
  }

  /** Ends the user's other sessions (an own password change keeps the one it was made in). */
  async deleteOtherSessionsOf(userId: string, keepSessionId: string, manager: EntityManager): Promise<number> {
    const [, affected] = await manager.query(`DELETE FROM user_sessions WHERE user_id = $1 AND id <> $2`, [userId, keepSessionId]);
    return Number(affected ?? 0);
  }

  /** Ends every session of the user (a change of role, organisation, password or a disable). */
  async deleteSessionsOf(userId: string, manager: EntityManager): Promise<number> {
    const [, affected] = await manager.query(`DELETE FROM user_sessions WHERE user_id = $1`, [userId]);
    return Number(affected ?? 0);
  }

  /** Housekeeping on sign-in: expired sessions are of no use to anyone. */
  async deleteExpiredSessions(idleMinutes: number, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `DELETE FROM user_sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $1)`,
      [idleMinutes],
    );
  }

  /** Demo users: the practice (by AGB) all of whose contracts are in the given arm, with the most patients. */
  async practiceOnlyIn(arm: Arm): Promise<string | null> {
    const rows: { agb: string }[] = await this.dataSource.query(
      `SELECT pr.agb
       FROM practices pr JOIN contracts c ON c.practice_id = pr.id
       GROUP BY pr.id, pr.agb
       HAVING bool_and(c.arm = $1)
       ORDER BY (SELECT count(*) FROM patients p WHERE p.practice_id = pr.id) DESC, pr.agb
       LIMIT 1`,
      [arm],
    );
    return rows[0]?.agb ?? null;
  }

  /** Demo users: the insurer (UZOVI) with the most patients. */
  async busiestInsurer(): Promise<string | null> {
    const rows: { uzovi: string }[] = await this.dataSource.query(
      `SELECT i.uzovi FROM insurers i
       ORDER BY (SELECT count(*) FROM patients p WHERE p.insurer_id = i.id) DESC, i.uzovi LIMIT 1`,
    );
    return rows[0]?.uzovi ?? null;
  }
}
