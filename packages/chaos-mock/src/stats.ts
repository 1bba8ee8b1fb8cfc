/**
 * Request counting, so tests can assert how gently a client treats CHAOS.
 *
 * @module
 */

/** What the mock has seen since it started (or since `resetStats()`). */
export interface ChaosMockStats {
  /** Every GET or POST to a `/<subsystem>/<command>` path, whatever the scenario answered. */
  readonly requests: number;
  /** Requests per `"subsystem/command"`, e.g. `{ "broadband/info": 3 }`. */
  readonly byCommand: Readonly<Record<string, number>>;
  /** Requests for a write command (`kill`, `adjust`, `order` or `cease`, in any subsystem), answered or not. */
  readonly writes: number;
  /** Write requests per `"subsystem/command"`. */
  readonly writesByCommand: Readonly<Record<string, number>>;
  /**
   * Requests that carried a credential (`control_login`, `control_password`, `account_number` or
   * `account_password`, any spelling) in the URL query string, where proxies and logs keep it.
   */
  readonly credentialsInUrl: number;
}

/** A mutable counter behind {@link ChaosMockStats}; one per mock. */
export interface StatsCounter {
  count(key: string, flags: { readonly write: boolean }): void;
  countCredentialInUrl(): void;
  snapshot(): ChaosMockStats;
  reset(): void;
}

/** Creates an empty counter. */
export function createStatsCounter(): StatsCounter {
  let requests = 0;
  let writes = 0;
  let credentialsInUrl = 0;
  let byCommand = new Map<string, number>();
  let writesByCommand = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  return {
    count(key, { write }) {
      requests++;
      bump(byCommand, key);
      if (write) {
        writes++;
        bump(writesByCommand, key);
      }
    },
    countCredentialInUrl() {
      credentialsInUrl++;
    },
    snapshot() {
      return {
        requests,
        byCommand: Object.fromEntries(byCommand),
        writes,
        writesByCommand: Object.fromEntries(writesByCommand),
        credentialsInUrl,
      };
    },
    reset() {
      requests = 0;
      writes = 0;
      credentialsInUrl = 0;
      byCommand = new Map();
      writesByCommand = new Map();
    },
  };
}
