import type { Db } from '../../db/database.js';
import * as companies from '../../db/repositories/companies.repository.js';
import * as keys from '../../db/repositories/consumer-keys.repository.js';
import { AppError } from '../../shared/app-error.js';
import { isoMicros, type Clock } from '../../shared/clock.js';
import type { Random } from '../../shared/random.js';
import { hashTokenKey, newTokenKey, TOKEN_KEY_LENGTH } from '../auth/token-key.js';

export interface ConsumerKeyServiceDeps {
  db: Db;
  clock: Clock;
  random: Random;
}

/** Who a Consumer API request acts for: one brand owner, through one of its keys. */
export interface ConsumerPrincipal {
  readonly keyId: number;
  readonly companyId: number;
}

/** Characters of a key shown in listings (of 40: the rest keeps ≈200 bits unknown). */
const KEY_PREFIX_LENGTH = 6;
const KEY_SHAPE = new RegExp(`^[0-9A-Za-z]{${TOKEN_KEY_LENGTH}}$`);

const invalidKey = () => new AppError('AUTHENTICATION_FAILED', 'Invalid consumer API key.');

/**
 * Consumer API keys of brand owners (`X-ScanTrust-Consumer-Api-Key`): issued and revoked by the operator
 * (the `sigil consumer-key` CLI), checked on every Consumer API request. A key is 40 random characters
 * of [0-9A-Za-z], shown once; only its SHA-256 is stored.
 */
export class ConsumerKeyService {
  constructor(private readonly deps: ConsumerKeyServiceDeps) {}

  /** Issues a key for a brand owner; the key is returned now and never again. */
  async create(companyId: number): Promise<{ id: number; key: string }> {
    const company = await companies.findCompanyById(this.deps.db, companyId);
    if (!company) throw AppError.field('company', `Company ${companyId} does not exist.`);
    if (company.company_type !== 'brand_owner') {
      throw AppError.field('company', `Company ${companyId} is a ${company.company_type}, not a brand_owner: only brand owners get consumer keys.`);
    }
    const key = newTokenKey(this.deps.random);
    const row = await keys.insertConsumerKey(this.deps.db, {
      company_id: companyId,
      key_hash: hashTokenKey(key),
      key_prefix: key.slice(0, KEY_PREFIX_LENGTH),
      creation_date: isoMicros(this.deps.clock.now()),
      revoked_at: null,
    });
    return { id: row.id, key };
  }

  async revoke(id: number): Promise<void> {
    if (!(await keys.revokeConsumerKey(this.deps.db, id, isoMicros(this.deps.clock.now())))) {
      throw AppError.notFound(`No active consumer key with id ${id}.`);
    }
  }

  /** The header's value (absent, or sent more than once: refused) → the brand owner it acts for, or 401. */
  async authenticate(header: string | string[] | undefined): Promise<ConsumerPrincipal> {
    if (header === undefined || header === '') {
      throw new AppError('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
    }
    const key = typeof header === 'string' ? header.trim() : '';
    if (!KEY_SHAPE.test(key)) throw invalidKey();
    const row = await keys.findConsumerKeyByHash(this.deps.db, hashTokenKey(key));
    if (!row || row.revoked_at !== null || row.company_type !== 'brand_owner') throw invalidKey();
    return Object.freeze({ keyId: row.id, companyId: row.company_id });
  }
}
