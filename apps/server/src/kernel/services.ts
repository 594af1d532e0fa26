import type { TClock } from './clock';
import type { TConfig } from './config';
import type { TDb } from './db';
import type { TJobs } from './jobs';
import type { Logger } from './logger';
import type { TNotifier } from './notify';
import type { TSecrets } from './secrets';
import type { TSmsSender } from './sms';
import type { TFileStore } from './storage';

/** Everything modules get from the kernel; built once in main/cli/tests. */
export interface TServices {
  config: TConfig;
  secrets: TSecrets;
  db: TDb;
  log: Logger;
  files: TFileStore;
  clock: TClock;
  sms: TSmsSender;
  /** Null when jobs are not started in this process (tests, CLI). */
  jobs: TJobs | null;
  /** LISTEN/NOTIFY fan-out across server processes (live views); null where nothing listens. */
  notifier: TNotifier | null;
}
