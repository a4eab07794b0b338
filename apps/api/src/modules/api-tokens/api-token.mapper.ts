import { ApiTokenDto } from './dto/api-token.dto';
import { ApiTokenRow } from './api-tokens.repository';

/** Never the secret or its hash: neither is read into an ApiTokenRow. */
export function toApiTokenDto(t: ApiTokenRow): ApiTokenDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    practice: t.agb,
    insurer: t.uzovi,
    createdBy: t.createdBy,
    createdAt: new Date(t.createdAt).toISOString(),
    expiresAt: iso(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  };
}
