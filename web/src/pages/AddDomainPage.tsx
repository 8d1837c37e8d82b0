import { useRef, useState } from 'react';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { FormActions } from '../components/FormActions';
import { Notice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { navigate } from '../router';
import { paths } from '../routes';

/** Codes of a URL or prefix pasted instead of a hostname: the guide's troubleshooting applies. */
const FORMAT_CODES = new Set([
  'has_scheme',
  'www_prefix',
  'has_path',
  'has_port',
  'has_userinfo',
  'not_root',
]);
const FORMAT_HINT =
  'Confirm you entered only the root hostname (for example, example.com). Remove protocol/prefix values such as https:// or www.';

export function AddDomainPage() {
  const [name, setName] = useState('');
  const add = useMutation(async () => {
    const domain = await api.POST('/v1/domains', { body: { name } });
    navigate(paths.domain(domain.name));
  });
  const { error } = add;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);

  const code = error?.problem.errors?.find((issue) => issue.field === 'name')?.code;
  return (
    <>
      <PageHeader
        title="Add Domain"
        subtitle="Use this step to establish the primary mail hostname."
      />
      <form ref={form} className="panel form" onSubmit={add.submit} noValidate>
        <Notice kind="note">
          Enter hostnames only (for example, example.com). Do not include http://, https://, or www.
        </Notice>
        <Field
          label="Domain name"
          description="Enter the root hostname only (example: example.com)."
          error={error && (error.messageFor('name') ?? error.message)}
          hint={code && FORMAT_CODES.has(code) ? FORMAT_HINT : undefined}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="url"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              required
              placeholder="example.com"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <FormActions
          label="Add Domain"
          busyLabel="Adding…"
          busy={add.busy}
          cancelTo={paths.domains}
        />
      </form>
    </>
  );
}
