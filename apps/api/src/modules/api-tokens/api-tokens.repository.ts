import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  role: 'PRACTICE' | 'INSURER';
  practiceId: string | null;
  agb: string | null;
  practiceName: string | null;
  insurerId: string | null;
  uzovi: string | null;
  insurerName: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const SELECT_TOKEN = `
  SELECT t.id, t.name, t.prefix, t.role, t.practice_id AS "practiceId", pr.agb, pr.name AS "practiceName",
         t.insurer_id AS "insurerId", i.uzovi, i.name AS "insurerName",
         u.username AS "createdBy", t.created_at AS "createdAt", t.expires_at AS "expiresAt",
         t.last_used_at AS "lastUsedAt", t.revoked_at AS "revokedAt"
  FROM api_tokens t
  LEFT JOIN practices pr ON pr.id = t.practice_id
  LEFT JOIN insurers i ON i.id = t.insurer_id
  LEFT JOIN users u ON u.id = t.created_by`;

/** API tokens of organisations; a token is scoped like its organisation (practice_id / insurer_id columns). */
@Injectable()
export class ApiTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(scope: DataScope, limit: number, offset: number): Promise<[ApiTokenRow[], number]> {
    const params: unknown[] = [];
    const where = scopeSql(scope, 't', params);
    const count: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM api_tokens t WHERE ${where}`, params);
    const rows: ApiTokenRow[] = await this.dataSource.query(
      `${SELECT_TOKEN} WHERE ${where} ORDER BY t.created_at DESC, t.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }

  async findById(id: string, scope: DataScope, manager?: EntityManager): Promise<ApiTokenRow | null> {
    const params: unknown[] = [id];
    const rows: ApiTokenRow[] = await (manager ?? this.dataSource.manager).query(
      `${SELECT_TOKEN} WHERE t.id = $1 AND ${scopeSql(scope, 't', params)}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** A usable token by the hash of its secret: not revoked, not expired. */
  async findUsable(tokenHash: string): Promise<ApiTokenRow | null> {
    const rows: ApiTokenRow[] = await this.dataSource.query(
      `${SELECT_TOKEN} WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [id]);
  }

  async insert(
    fields: { name: string; tokenHash: string; prefix: string; role: 'PRACTICE' | 'INSURER'; practiceId: string | null; insurerId: string | null; createdBy: string | null; expiresOn: string | null },
    manager: EntityManager,
  ): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO api_tokens (name, token_hash, prefix, role, practice_id, insurer_id, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, (($8::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')) RETURNING id`,
      [fields.name, fields.tokenHash, fields.prefix, fields.role, fields.practiceId, fields.insurerId, fields.createdBy, fields.expiresOn],
    );
    return rows[0].id;
  }

  async revoke(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  }
}
