/**
 * People: organisation admins add their staff, disable, re-enable and reset accounts without the
 * command line. A new password is random, shown once on the page that made it, and never sent
 * anywhere; the person changes it after signing in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../../platform/db/schema.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import { formField } from '../accounts/csrf.js';
import { staffOf } from '../accounts/guard.js';
import { generatePassword } from '../accounts/passwords.js';
import type { Staff } from '../accounts/sessions.js';
import {
  createUser,
  isValidUsername,
  normaliseUsername,
  setDisabled,
  setPassword,
  setTotpSecret,
  UserError,
} from '../accounts/users.js';
import { cleanText, type FieldErrors } from './forms.js';
import { peopleOf, personById } from './people.js';
import {
  administeredOrganisations,
  assignableRoles,
  canManagePerson,
  visibleOrganisations,
} from './policies.js';
import { organisationsByIds } from './repository.js';
import { PeoplePage, type PeoplePageProps } from './views/people.js';
import { actorOf, IdParams, signedInOf, type WorkspaceDeps } from './work-routes.js';

type Form = PeoplePageProps['form'];
const EMPTY: Form = { username: '', name: '', organisation: '', role: 'translator' };

export function registerPeopleRoutes(scope: FastifyInstance, deps: WorkspaceDeps) {
  const { db, pages } = deps;

  /** The organisations the person administers, with the roles they may give in each. */
  const administered = async (staff: Staff) => {
    const all = await organisationsByIds(db, visibleOrganisations(staff));
    const ids = new Set(administeredOrganisations(staff, all));
    return all
      .filter((o) => ids.has(o.id))
      .map((o) => ({ ...o, roles: assignableRoles(staff, o) }));
  };

  const peoplePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      form?: Form;
      errors?: FieldErrors;
      handover?: { username: string; password: string };
    } = {},
  ) => {
    const staff = staffOf(request);
    const organisations = await administered(staff);
    if (organisations.length === 0) throw forbidden('not an administrator');
    const people = (
      await peopleOf(
        db,
        organisations.map((o) => o.id),
      )
    ).map((person) => ({
      ...person,
      manageable: canManagePerson(staff, { userId: person.id, memberships: person.memberships }),
    }));
    const errors = options.errors ?? {};
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('people.heading'),
        body: (
          <PeoplePage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            people={people}
            organisations={organisations}
            form={options.form ?? { ...EMPTY, organisation: organisations[0]!.id }}
            errors={errors}
            handover={options.handover}
          />
        ),
      }),
      { status: Object.keys(errors).length ? 400 : 200, signedIn: signedInOf(request) },
    );
  };

  scope.get('/:lang/workspace/people', (request, reply) => peoplePage(request, reply));

  scope.post('/:lang/workspace/people', async (request, reply) => {
    const staff = staffOf(request);
    const form: Form = {
      username: normaliseUsername(cleanText(formField(request, 'username'), 64)),
      name: cleanText(formField(request, 'name'), 100),
      organisation: cleanText(formField(request, 'organisation'), 64),
      role: cleanText(formField(request, 'role'), 20),
    };
    const organisation = (await administered(staff)).find((o) => o.id === form.organisation);
    if (!organisation) throw forbidden('not an administrator of this organisation');
    const errors: FieldErrors = {};
    if (!isValidUsername(form.username)) errors.username = 'people.error.username';
    if (
      !(ROLES as readonly string[]).includes(form.role) ||
      !organisation.roles.includes(form.role as Role)
    ) {
      errors.role = 'people.error.role';
    }
    if (Object.keys(errors).length) return peoplePage(request, reply, { form, errors });
    const password = generatePassword();
    try {
      await createUser(db, actorOf(staff), {
        username: form.username,
        displayName: form.name || form.username,
        password,
        organisationId: organisation.id,
        role: form.role as Role,
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return peoplePage(request, reply, { form, errors: { username: 'people.error.taken' } });
    }
    return peoplePage(request, reply, { handover: { username: form.username, password } });
  });

  /** Loads a person the signed-in administrator may manage; others do not exist for them. */
  const manageable = async (request: FastifyRequest) => {
    const staff = staffOf(request);
    const person = await personById(db, (request.params as { id: string }).id);
    const target = person && { userId: person.id, memberships: person.memberships };
    if (!person || !target || !canManagePerson(staff, target)) throw notFound('no such person');
    return { staff, person };
  };

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    scope.post(
      `/:lang/workspace/people/:id/${action}`,
      { schema: { params: IdParams } },
      async (request, reply) => {
        const { staff, person } = await manageable(request);
        await setDisabled(db, actorOf(staff), person.id, disabled);
        return reply.redirect(
          `/${(request.params as { lang: string }).lang}/workspace/people`,
          303,
        );
      },
    );
  }

  scope.post(
    '/:lang/workspace/people/:id/reset',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const { staff, person } = await manageable(request);
      const password = generatePassword();
      // A reset is for a lost password or a lost phone: both are replaced, every session ends.
      await setPassword(db, actorOf(staff), person.id, password);
      await setTotpSecret(db, null, person.id, null);
      return peoplePage(request, reply, { handover: { username: person.username, password } });
    },
  );
}
