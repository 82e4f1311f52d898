/**
 * `learning-center user add|reset|disable|enable` and `org add`: the first admin and password
 * resets without an email server. New passwords are random and printed once, unless given on
 * standard input (--password-stdin) by a script.
 */
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/database.js';
import { ROLES, type DB, type Role } from '../platform/db/schema.js';
import type { Config } from '../config.js';

type WithDatabase = <T>(fn: (database: Database, cfg: Config) => Promise<T>) => Promise<T | void>;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function newPassword(options: { passwordStdin?: boolean }, username: string) {
  const { generatePassword, passwordProblem } = await import('../features/accounts/passwords.js');
  const password = options.passwordStdin ? await readStdin() : generatePassword();
  const problem = passwordProblem(password, username);
  if (problem) throw new Error(`The password is not acceptable (${problem}).`);
  return { password, generated: !options.passwordStdin };
}

async function userIdOf(db: Kysely<DB>, username: string): Promise<string> {
  const { findUserByUsername } = await import('../features/accounts/users.js');
  const user = await findUserByUsername(db, username);
  if (!user) throw new Error(`No user is called "${username}".`);
  return user.id;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

export function registerUserCommands(program: Command, withDatabase: WithDatabase) {
  const user = program.command('user').description('Manage staff accounts');

  user
    .command('add')
    .description('Create a staff account in an organisation, with a role')
    .argument('<username>', '2-64 letters, digits, dots, dashes or underscores')
    .requiredOption('--org <slug>', 'organisation the account belongs to')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'name shown to colleagues (default: the username)')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(
      async (
        username: string,
        options: { org: string; role: string; name?: string; passwordStdin?: boolean },
      ) => {
        if (!(ROLES as readonly string[]).includes(options.role)) {
          fail(`--role must be one of ${ROLES.join(', ')}.`);
        }
        const { createUser, UserError } = await import('../features/accounts/users.js');
        const { CLI_ACTOR } = await import('../features/audit/log.js');
        await withDatabase(async (database) => {
          const org = await database.db
            .selectFrom('organisations')
            .select(['id', 'kind'])
            .where('slug', '=', options.org)
            .executeTakeFirst();
          if (!org) fail(`No organisation has the slug "${options.org}" (see: org add).`);
          if (options.role === 'network_admin' && org.kind !== 'hub') {
            fail('Network admins belong to the hub organisation.');
          }
          const { password, generated } = await newPassword(options, username);
          try {
            await createUser(database.db, CLI_ACTOR, {
              username,
              displayName: options.name ?? username,
              password,
              organisationId: org.id,
              role: options.role as Role,
            });
          } catch (error) {
            if (error instanceof UserError) fail(`Cannot add the user: ${error.message}.`);
            throw error;
          }
          console.log(`Added ${username} as ${options.role} of ${options.org}.`);
          if (generated)
            console.log(`Password (shown once; change it after signing in): ${password}`);
        });
      },
    );

  user
    .command('reset')
    .description('Give an account a new password and sign it out everywhere')
    .argument('<username>')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .option('--two-factor', 'also remove two-factor sign-in (for a lost phone)')
    .action(async (username: string, options: { passwordStdin?: boolean; twoFactor?: boolean }) => {
      const { setPassword, setTotpSecret } = await import('../features/accounts/users.js');
      const { CLI_ACTOR } = await import('../features/audit/log.js');
      await withDatabase(async (database) => {
        const id = await userIdOf(database.db, username).catch((e: Error) => fail(e.message));
        const { password, generated } = await newPassword(options, username);
        await setPassword(database.db, CLI_ACTOR, id, password);
        if (options.twoFactor) await setTotpSecret(database.db, null, id, null);
        console.log(`New password set for ${username}; all their sessions have ended.`);
        if (generated) console.log(`Password (shown once): ${password}`);
      });
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(name)
      .description(
        disabled
          ? 'Stop an account from signing in, ending its sessions'
          : 'Re-enable a disabled account',
      )
      .argument('<username>')
      .action(async (username: string) => {
        const { setDisabled } = await import('../features/accounts/users.js');
        const { CLI_ACTOR } = await import('../features/audit/log.js');
        await withDatabase(async (database) => {
          const id = await userIdOf(database.db, username).catch((e: Error) => fail(e.message));
          await setDisabled(database.db, CLI_ACTOR, id, disabled);
          console.log(`${username} is ${disabled ? 'disabled' : 'enabled'}.`);
        });
      });
  }

  program
    .command('org')
    .description('Manage organisations')
    .command('add')
    .description('Add a partner organisation (or the hub)')
    .argument('<slug>', 'short name used in addresses, e.g. women-tech-kabul')
    .requiredOption('--name <name>', 'the organisation name')
    .option('--kind <kind>', 'hub or partner', 'partner')
    .option('--country <code>', 'ISO 3166 country code, e.g. AF')
    .action(async (slug: string, options: { name: string; kind: string; country?: string }) => {
      const { addOrganisation, OrganisationError } =
        await import('../features/workspace/organisations.js');
      const { CLI_ACTOR } = await import('../features/audit/log.js');
      await withDatabase(async (database) => {
        try {
          await addOrganisation(database.db, CLI_ACTOR, { slug, ...options });
        } catch (error) {
          if (error instanceof OrganisationError)
            fail(`Cannot add the organisation: ${error.message}.`);
          throw error;
        }
        console.log(`Added the organisation ${slug}.`);
      });
    });
}
