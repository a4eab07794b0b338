import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Command } from 'commander';
import { newSecret } from '../core/auth/secrets';
import { invalidRequest } from '../core/errors/app-error';
import { toViolations } from '../core/http/validation';
import { CreateUserDto, UserQuery } from '../modules/users/dto/user.dto';
import { UsersModule } from '../modules/users/users.module';
import { UsersService } from '../modules/users/users.service';
import { cliActor, withCliContext } from './cli-context';

interface CreateOptions {
  role: string;
  practice?: string[];
  insurer?: string;
  displayName?: string;
}

/**
 * Accounts from the command line, as the named operator cli:<name> (audited like an administrator):
 * `users create`, `users list`, and `users create-demo` for `npm run demo`.
 */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('Manage user accounts (audited as the CLI operator)');

  users
    .command('create')
    .description('Create a user; the password comes from NEW_USER_PASSWORD, or a random one is printed once')
    .argument('<username>', 'Lower case letters, digits and . _ @ -')
    .requiredOption('--role <role>', 'ADMIN, EVALUATOR, PRACTICE or INSURER')
    .option('--practice <agb...>', 'AGB code(s) of a PRACTICE user')
    .option('--insurer <uzovi>', 'UZOVI code of an INSURER user')
    .option('--display-name <name>', 'Name shown in the dashboard (default: the username)')
    .action(async (username: string, options: CreateOptions) => {
      const generated = !process.env.NEW_USER_PASSWORD;
      const password = process.env.NEW_USER_PASSWORD || newSecret().slice(0, 20);
      const dto = plainToInstance(CreateUserDto, {
        username,
        displayName: options.displayName ?? username,
        role: options.role,
        practices: options.practice,
        insurer: options.insurer,
        password,
      });
      const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0) throw invalidRequest(toViolations(errors));
      const user = await withCliContext([UsersModule], (app) => app.get(UsersService).create(cliActor(), dto));
      process.stdout.write(`User ${user.username} (${user.role}) created.${generated ? ` Password (shown once): ${password}` : ''}\n`);
    });

  users
    .command('list')
    .description('List the users with their role and organisations')
    .action(async () => {
      const page = await withCliContext([UsersModule], (app) =>
        app.get(UsersService).list(cliActor(), Object.assign(new UserQuery(), { limit: 1000, offset: 0 })),
      );
      for (const u of page.items) {
        const organisation = u.role === 'PRACTICE' ? u.practices.map((p) => p.agb).join(',') : (u.insurer?.uzovi ?? '');
        process.stdout.write(`${u.username.padEnd(24)} ${u.role.padEnd(10)} ${organisation.padEnd(20)} ${u.disabled ? 'disabled' : ''}\n`);
      }
    });

  users
    .command('create-demo')
    .description('Create (or reset) the demo users, one per role; passwords from DEMO_USER_PASSWORDS (JSON {username: password})')
    .option('--json', 'Print the users as JSON (without passwords)')
    .action(async (options: { json?: boolean }) => {
      const passwords = JSON.parse(process.env.DEMO_USER_PASSWORDS || '{}') as Record<string, string>;
      const created = await withCliContext([UsersModule], (app) => app.get(UsersService).ensureDemoUsers(cliActor(), passwords));
      const shown = created.map(({ password: _password, ...user }) => user);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(shown)}\n`);
        return;
      }
      for (const u of shown) process.stdout.write(`${u.username.padEnd(18)} ${u.role.padEnd(10)} ${u.organisation ?? ''}\n`);
    });
}
