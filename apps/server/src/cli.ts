import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ZCreateUserRequest, ZPhone, ZRegionCode, ZRole } from '@cunwu/contract';
import { registerMember } from './modules/households';
import { openRuntime } from './bootstrap';
import { generateDbTypes, verifyDbTypes } from './kernel/codegen';
import { ConfigError, loadConfig } from './kernel/config';
import { AppError, translatePgError } from './kernel/errors';
import { createLogger } from './kernel/logger';
import { migrateDown } from './kernel/migrate';
import { demoLoginLines, seedDemoIfEmpty } from './modules/demo';
import { makeCheckpoint, verifyLedger } from './modules/ledger';
import { importRegions, readRegionFile } from './modules/regions';
import { createUser } from './modules/users';

const HELP = `村务监督 CLI — npm run cli -- <command> [options]

  migrate [--down] [--to VERSION]     apply pending migrations (or roll back)
  user:create --login L --password P --role R --region CODE [--name N] [--phone P] [--department ID]
                                      create an official (repeat --role/--region pairs for more roles)
  regions:import FILE                 import regions from .csv (code,name[,isIllustrative]) or .json
  ledger:verify [--checkpoint FILE]   re-derive the ledger and check it against its checkpoints
                                      (and against a checkpoint saved earlier in FILE)
  ledger:checkpoint [--out FILE]      sign a checkpoint now; print it (or save it to FILE)
  seed:demo                           load the demo data if the database is empty
  db:types [--check]                  regenerate (or check) the Kysely table types
  member:create --village CODE --name N [--phone P] [--household NO] [--group NAME]
                                      register a villager (creating the household/group if missing)
  open311:key --name NAME --region CODE  issue an Open311 API key (printed once) for villages under CODE
  import:households FILE              import households and members from .xlsx or .csv (the upload's rules,
                                      scope everywhere); row errors are listed, exit 1 only if the file fails

Works whether or not the server runs: it attaches to the embedded PostgreSQL of DATA_DIR, or starts it.`;

const operator = { actorId: null, requestId: 'cli', ip: null };

/** Run one CLI command; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      login: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' },
      role: { type: 'string', multiple: true }, region: { type: 'string', multiple: true }, department: { type: 'string' },
      village: { type: 'string' }, household: { type: 'string' }, group: { type: 'string' },
      checkpoint: { type: 'string' }, out: { type: 'string' }, to: { type: 'string' }, down: { type: 'boolean' }, check: { type: 'boolean' },
    },
  });
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const runtime = await openRuntime(config, { log, withJobs: false, migrate: command !== 'migrate', poolSize: 4 });
  const { services } = runtime;
  try {
    switch (command) {
      case 'migrate': {
        const { migrateUp } = await import('./kernel/migrate');
        const done = values.down ? await migrateDown(runtime.database.url, values.to, console.log) : await migrateUp(runtime.database.url, console.log);
        console.log(done.length ? `${values.down ? 'rolled back' : 'applied'} ${done.join(', ')}` : 'nothing to do: the schema is up to date');
        return 0;
      }
      case 'user:create': {
        const roles = (values.role ?? []).map((role, i) => ({ role: ZRole.parse(role), regionCode: values.region?.[i] ?? '' }));
        const input = ZCreateUserRequest.parse({ login: values.login, password: values.password, name: values.name ?? values.login, phone: values.phone, roles });
        const user = await createUser(services, null, operator, input, { departmentId: values.department ?? null });
        console.log(`created ${user.login} (${user.id}) with ${user.roles.map((r) => `${r.role}@${r.regionCode} ${r.regionName}`).join(', ')}`);
        return 0;
      }
      case 'regions:import': {
        const file = positionals[0];
        if (!file) throw new AppError('VALIDATION_FAILED', 'usage: regions:import FILE');
        const result = await importRegions(services, operator, await readRegionFile(file));
        console.log(`regions: ${result.total} rows, ${result.inserted} inserted, ${result.updated} updated${result.ledgerIndex !== null ? `, ledger entry ${result.ledgerIndex}` : ''}`);
        return 0;
      }
      case 'ledger:checkpoint': {
        const made = await makeCheckpoint(services);
        if (values.out) writeFileSync(values.out, made.note);
        console.log(values.out ? `checkpoint of size ${made.size} saved to ${values.out}` : made.note);
        return 0;
      }
      case 'ledger:verify': {
        const saved = values.checkpoint ? readFileSync(values.checkpoint, 'utf8') : undefined;
        const report = await verifyLedger(services, {
          savedCheckpoint: saved,
          onProgress: (done, total) => process.stderr.write(`\r  verifying ${done}/${total} entries`),
        });
        process.stderr.write('\n');
        console.log(`entries: ${report.size}  root: ${report.rootHash}\ncheckpoints checked: ${report.checkpointsChecked}  published snapshots checked: ${report.snapshotsChecked}${saved ? '  saved checkpoint: checked' : ''}`);
        if (report.problems.length === 0) {
          console.log('OK: the ledger is intact and consistent with every checkpoint');
          return 0;
        }
        const first = report.problems[0]!;
        console.log(`FAILED: ${report.problems.length} problem(s); first bad entry: ${first.index ?? 'n/a'}`);
        for (const problem of report.problems.slice(0, 20)) console.log(`  [${problem.kind}] ${problem.message}`);
        return 1;
      }
      case 'seed:demo': {
        const world = await seedDemoIfEmpty(services, console.log);
        console.log(world ? demoLoginLines(world).join('\n') : 'demo data was loaded before; nothing done');
        return 0;
      }
      case 'db:types': {
        if (values.check) {
          const result = await verifyDbTypes(runtime.database.url);
          console.log(result.ok ? 'db.types.ts is up to date' : `db.types.ts has drifted:\n${result.output}`);
          return result.ok ? 0 : 1;
        }
        await generateDbTypes(runtime.database.url);
        console.log('db.types.ts regenerated');
        return 0;
      }
      case 'member:create': {
        const input = z.object({ village: ZRegionCode, name: z.string().trim().min(1).max(32), phone: ZPhone.optional(), household: z.string().trim().min(1).max(32).optional(), group: z.string().trim().min(1).max(64).optional() })
          .parse({ village: values.village, name: values.name, phone: values.phone, household: values.household, group: values.group });
        const result = await registerMember(services, operator, { villageCode: input.village, name: input.name, phone: input.phone, householdNo: input.household, groupName: input.group });
        console.log(`registered ${result.member.name} (${result.member.id}) in household ${result.householdNo} of ${input.village}${result.groupId ? `, group ${input.group}` : ''}${input.phone ? ` — can log in with ${result.member.phoneMasked}` : ''}`);
        return 0;
      }
      case 'import:households': {
        const file = positionals[0];
        if (!file) throw new AppError('VALIDATION_FAILED', 'usage: import:households FILE');
        const { importHouseholdFile } = await import('./modules/imports');
        const job = await importHouseholdFile(services, { ...operator, requestId: 'cli:import:households' }, file, {
          onProgress: (c) => process.stderr.write(`\r  导入中 importing: ${c.processed.toLocaleString('en-US')}${c.total !== null ? ` / ${c.total.toLocaleString('en-US')}` : ''} rows`),
        });
        process.stderr.write('\n');
        console.log(`${job.status === 'done' ? '完成 done' : '失败 failed'}: ${job.processed} rows — ${job.inserted} inserted, ${job.updated} updated, ${job.unchanged} unchanged, ${job.errorCount} errors  (job ${job.id})`);
        if (job.failure) console.log(`  ${job.failure}`);
        for (const e of job.errors.filter((x) => x.reason !== job.failure).slice(0, 20)) console.log(`  row ${e.row}${e.column ? ` [${e.column}]` : ''}: ${e.reason}`);
        if (job.errorCount > 20) console.log(`  … ${job.errorCount - 20} more (GET /api/v1/imports/${job.id} shows the first ${job.errors.length})`);
        return job.status === 'failed' ? 1 : 0;
      }
      case 'open311:key': {
        const region = values.region?.[0];
        if (!values.name || !region || values.region!.length > 1) throw new AppError('VALIDATION_FAILED', 'usage: open311:key --name NAME --region CODE');
        const { createOpen311Client } = await import('./modules/open311');
        const client = await createOpen311Client(services, { ...operator, requestId: 'cli:open311:key' }, { name: values.name, regionCode: ZRegionCode.parse(region) });
        console.log(`Open311 client ${client.name} (${client.id}), may file into villages under ${client.regionCode}.\napi_key (shown once; only its hash is stored): ${client.apiKey}`);
        return 0;
      }
      // @cli:commands
      default:
        console.error(`unknown command '${command}'\n\n${HELP}`);
        return 2;
    }
  } finally {
    await runtime.close();
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (caught: unknown) => {
    const error = translatePgError(caught) ?? caught;
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof AppError) {
      console.error(error.fieldErrors?.length ? `错误 error [${error.code}]:\n${error.fieldErrors.map((f) => `  ${f.field}: ${f.reason}`).join('\n')}` : `错误 error [${error.code}]: ${error.detail ?? error.message}`);
    }
    else if ((error as { name?: string }).name === 'ZodError') console.error(`输入有误 invalid input:\n${(error as { issues: { path: unknown[]; message: string }[] }).issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    else console.error(error);
    process.exit(1);
  },
);
