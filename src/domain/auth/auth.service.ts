import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Db } from '../../db/database.js';
import * as companies from '../../db/repositories/companies.repository.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import { LoginThrottle } from './login-throttle.js';
import { parsePermissions, type Permission } from './permissions.js';
import { verifyPassword } from './password.js';
import type { CompanyType, Principal } from './principal.js';
import { hashTokenKey } from './token-key.js';

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  jwtSigningKey: Uint8Array;
  jwtTtlSeconds: number;
}

const JWT_ISSUER = 'sigil';
/** scrypt hash of a random password nobody knows, verified against when the login names no user. */
const DUMMY_PASSWORD_HASH = 'scrypt$16384$8$1$c2lnaWwtZHVtbXktc2FsdA==$Jd/7JFgoSMKuXSB+vD4uGjErSzgVtpL4p6HxntxjBvRshN97946MKarngEnRWCk8XBnVBSCRkkm/oE/PyBGE4Q==';
/** Three base64url segments: what a JWT looks like (a UAT key has no dots). */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** last_used_at is written at most this often per token, so reads stay reads. */
const TOUCH_INTERVAL_MS = 60_000;

const invalid = (message: string) => new AppError('AUTHENTICATION_FAILED', message);

export class AuthService {
  private readonly loginThrottle: LoginThrottle;

  constructor(private readonly deps: AuthServiceDeps) {
    this.loginThrottle = new LoginThrottle(deps.clock);
  }

  /** Resolves an `Authorization` header (`UAT <key>` or `JWT <token>`) to a principal, or throws 401. */
  async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header.trim() === '') {
      throw new AppError('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
    }
    const [scheme, credential, ...rest] = header.trim().split(/\s+/);
    if (!credential || rest.length > 0) {
      throw invalid('Invalid Authorization header. Expected "UAT <key>" or "JWT <token>".');
    }
    switch (scheme?.toUpperCase()) {
      case 'UAT':
        return this.authenticateUat(credential);
      case 'JWT':
        return this.authenticateJwt(credential);
      case 'BEARER':
        // Accepted for a JWT (what generic clients send); a UAT key sent this way is told where it goes.
        if (!JWT_SHAPE.test(credential)) {
          throw invalid('Bearer takes a JWT. Send a UAT key as "Authorization: UAT <key>"; supported schemes: "UAT <key>", "JWT <token>".');
        }
        return this.authenticateJwt(credential);
      default:
        throw invalid('Unsupported authorization scheme. Use "UAT <key>" or "JWT <token>".');
    }
  }

  /** Username (or e-mail) and password → a JWT carrying all of the user's permissions. 10 attempts/minute per client. */
  async login(login: string, password: string, client: string): Promise<{ token: string; expiresAt: Date }> {
    this.loginThrottle.hit(client);
    const user = await companies.findUserByLogin(this.deps.db, login);
    // An unknown user costs the same scrypt as a known one, so timing does not reveal which logins exist.
    const passwordOk = await verifyPassword(password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
    const ok = passwordOk && user?.password_hash != null && user.is_active === 1;
    if (!user || !ok) throw AppError.state('Unable to log in with provided credentials.');
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.deps.jwtTtlSeconds * 1000);
    const token = await new SignJWT({ username: user.username })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(JWT_ISSUER)
      .setSubject(String(user.id))
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.deps.jwtSigningKey);
    return { token, expiresAt };
  }

  private async authenticateUat(key: string): Promise<Principal> {
    const row = await companies.findApiTokenByHash(this.deps.db, hashTokenKey(key));
    if (!row || row.revoked_at !== null) throw invalid('Invalid token.');
    const now = this.deps.clock.now();
    if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) throw invalid('Token has expired.');
    if (row.is_active !== 1) throw invalid('User inactive or deleted.');
    if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
      await companies.touchApiToken(this.deps.db, row.token_id, now.toISOString());
    }
    // A token acts with only the permissions granted to it, and never more than its user has.
    const userPermissions = new Set(parsePermissions(row.user_permissions));
    const permissions = parsePermissions(row.token_permissions).filter((p) => userPermissions.has(p));
    return this.principal(row.user_id, row.username, row.company_id, row.company_type, permissions, 'uat');
  }

  private async authenticateJwt(token: string): Promise<Principal> {
    let subject: string | undefined;
    try {
      const { payload } = await jwtVerify(token, this.deps.jwtSigningKey, {
        issuer: JWT_ISSUER,
        algorithms: ['HS256'],
        currentDate: this.deps.clock.now(),
      });
      subject = payload.sub;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw invalid('Signature has expired.');
      throw invalid('Error decoding signature.');
    }
    const user = subject ? await companies.findUserById(this.deps.db, Number(subject)) : undefined;
    if (!user || user.is_active !== 1) throw invalid('User inactive or deleted.');
    const company = await companies.findCompanyById(this.deps.db, user.company_id);
    if (!company) throw invalid('User inactive or deleted.');
    return this.principal(user.id, user.username, company.id, company.company_type, parsePermissions(user.permissions), 'jwt');
  }

  private principal(
    userId: number, username: string, companyId: number, companyType: CompanyType,
    permissions: Permission[], via: Principal['via'],
  ): Principal {
    return Object.freeze({ userId, username, companyId, companyType, permissions: new Set(permissions), via });
  }
}

/** The caller's own user and company (`GET /api/v2/me/`). */
export async function describePrincipal(db: Db, principal: Principal) {
  const [user, company] = await Promise.all([
    companies.findUserById(db, principal.userId),
    companies.findCompanyById(db, principal.companyId),
  ]);
  if (!user || !company) throw AppError.notFound();
  return { user, company, permissions: [...principal.permissions], via: principal.via };
}
