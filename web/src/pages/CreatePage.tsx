/**
 * Create a cluster: from a ClusterClass, with a field per variable generated from its schema
 * (checked here and again by the gateway), or from a clusterctl template with its variables.
 * "Preview" is a server-side dry run that shows the manifests; nothing is applied.
 */
import { useEffect, useMemo, useState } from 'react';
import { stringify } from 'yaml';
import { request } from '../api.ts';
import {
  DashClusterClassesDocument,
  DashCreateClusterDocument,
  DashTemplateVariablesDocument,
  type CreateClusterInput,
  type DashClusterClassesQuery,
  type DashOperationFragment,
  type DashTemplateVariablesQuery,
} from '../../generated/graphql.ts';
import { ErrorView } from '../components/ErrorView.tsx';
import { OperationView } from '../components/OperationView.tsx';
import type { ShownError } from '../components/useAction.ts';
import { checkValue, openApiSchema, parseInput, type VariableSchema } from '../schemaForm.ts';

type ClusterClass = DashClusterClassesQuery['clusterClasses'][number];
type Mode = 'class' | 'template';

interface Worker {
  name: string;
  class: string;
  replicas: number;
}

function VariableField(props: {
  name: string;
  required: boolean;
  schema: VariableSchema;
  text: string;
  error?: string;
  onChange(text: string): void;
}) {
  const id = `var-${props.name}`;
  const listId = `${id}-values`;
  const { schema } = props;
  return (
    <label className="field" htmlFor={id}>
      <span>
        {props.name}
        {props.required ? ' *' : ''} <span className="muted">({schema.type ?? 'any'})</span>
      </span>
      {schema.type === 'boolean' ? (
        <input
          id={id}
          type="checkbox"
          checked={props.text === 'true'}
          onChange={(e) => props.onChange(String(e.target.checked))}
        />
      ) : schema.type === 'object' || schema.type === 'array' ? (
        <textarea
          id={id}
          value={props.text}
          onChange={(e) => props.onChange(e.target.value)}
          rows={3}
          placeholder="JSON"
        />
      ) : (
        <>
          {/* Suggested values, but free text: a wrong one is refused with the schema's words. */}
          <input
            id={id}
            list={schema.enum ? listId : undefined}
            inputMode={schema.type === 'integer' || schema.type === 'number' ? 'numeric' : undefined}
            value={props.text}
            onChange={(e) => props.onChange(e.target.value)}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={props.error ? `${id}-error` : undefined}
          />
          {schema.enum && (
            <datalist id={listId}>
              {schema.enum.map((v) => (
                <option key={String(v)} value={String(v)} />
              ))}
            </datalist>
          )}
        </>
      )}
      {schema.description && <span className="muted small-text">{schema.description}</span>}
      {props.error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </label>
  );
}

export function CreatePage() {
  const [mode, setMode] = useState<Mode>('class');
  const [classes, setClasses] = useState<ClusterClass[]>([]);
  const [classId, setClassId] = useState('');
  const [name, setName] = useState('');
  const [namespace, setNamespace] = useState('default');
  const [managementCluster, setManagementCluster] = useState('');
  const [version, setVersion] = useState('');
  const [cpReplicas, setCpReplicas] = useState(1);
  const [workers, setWorkers] = useState<Worker[]>([]);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [template, setTemplate] = useState('');
  const [templateVars, setTemplateVars] = useState<DashTemplateVariablesQuery['templateVariables']>([]);
  const [serverError, setServerError] = useState<ShownError>();
  const [manifests, setManifests] = useState<unknown[]>();
  const [operation, setOperation] = useState<DashOperationFragment>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void request(DashClusterClassesDocument).then((result) => {
      if (!result.ok) return setServerError({ __typename: 'RequestFailed', message: result.error.message });
      setClasses(result.data.clusterClasses);
      const first = result.data.clusterClasses[0];
      if (first) setClassId(first.id);
    });
  }, []);

  const cc = classes.find((c) => c.id === classId);
  useEffect(() => {
    if (!cc) return;
    setManagementCluster(cc.managementCluster.name);
    setNamespace(cc.namespace);
    setVersion(cc.kubernetesVersions.at(-1) ?? '');
    setWorkers(
      cc.workerClasses
        .filter((w) => w.type === 'MachineDeployment')
        .slice(0, 1)
        .map((w) => ({ name: 'md-0', class: w.class, replicas: 1 })),
    );
    setTexts(
      Object.fromEntries(
        cc.variables.map((v) => {
          const d = openApiSchema(v.schema).default;
          return [v.name, d === undefined ? '' : typeof d === 'object' ? JSON.stringify(d) : String(d)];
        }),
      ),
    );
  }, [cc]);

  const fieldErrors = useMemo(() => {
    const out: Record<string, string> = {};
    if (mode !== 'class' || !cc) return out;
    for (const v of cc.variables) {
      const schema = openApiSchema(v.schema);
      const value = parseInput(schema, texts[v.name] ?? '');
      if (value === undefined) {
        if (v.required) out[v.name] = 'required';
        continue;
      }
      const message = checkValue(schema, value);
      if (message) out[v.name] = message;
    }
    return out;
  }, [cc, texts, mode]);
  const formValid = Object.keys(fieldErrors).length === 0 && name.trim() !== '';

  const input = (dryRun: boolean): CreateClusterInput => {
    const base = { managementCluster, namespace, name: name.trim(), dryRun };
    if (mode === 'template') return { ...base, template, variables: texts };
    const variables: Record<string, unknown> = {};
    for (const v of cc?.variables ?? []) {
      const value = parseInput(openApiSchema(v.schema), texts[v.name] ?? '');
      if (value !== undefined) variables[v.name] = value;
    }
    return {
      ...base,
      clusterClass: cc?.name,
      classNamespace: cc?.namespace,
      kubernetesVersion: version,
      controlPlaneReplicas: cpReplicas,
      workers,
      variables,
    };
  };

  const send = async (dryRun: boolean): Promise<void> => {
    setBusy(true);
    setServerError(undefined);
    setManifests(undefined);
    try {
      const result = await request(DashCreateClusterDocument, { input: input(dryRun) });
      if (!result.ok) return setServerError({ __typename: 'RequestFailed', message: result.error.message });
      const answer = result.data.createCluster;
      if (answer.__typename !== 'CreateClusterPayload') return setServerError(answer as ShownError);
      if (answer.dryRun) setManifests(answer.manifests);
      else if (answer.operation) setOperation(answer.operation);
    } finally {
      setBusy(false);
    }
  };

  const listTemplateVariables = async (): Promise<void> => {
    const result = await request(DashTemplateVariablesDocument, { template });
    if (!result.ok) return setServerError({ __typename: 'RequestFailed', message: result.error.message });
    setTemplateVars(result.data.templateVariables);
    setTexts(Object.fromEntries(result.data.templateVariables.map((v) => [v.name, v.defaultValue ?? ''])));
  };

  return (
    <main>
      <h1>Create a cluster</h1>
      <div role="radiogroup" aria-label="source" className="tabs">
        <label>
          <input type="radio" checked={mode === 'class'} onChange={() => setMode('class')} /> From a
          ClusterClass
        </label>
        <label>
          <input type="radio" checked={mode === 'template'} onChange={() => setMode('template')} /> From a
          template
        </label>
      </div>
      <form
        className="create"
        aria-label="create cluster"
        onSubmit={(e) => {
          e.preventDefault();
          if (formValid) void send(false);
        }}
      >
        <label className="field">
          Name *
          <input value={name} onChange={(e) => setName(e.target.value)} required aria-label="cluster name" />
        </label>
        <label className="field">
          Namespace
          <input value={namespace} onChange={(e) => setNamespace(e.target.value)} />
        </label>
        {mode === 'class' ? (
          <>
            <label className="field">
              ClusterClass
              <select value={classId} onChange={(e) => setClassId(e.target.value)}>
                {classes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.managementCluster.name} / {c.namespace} / {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Kubernetes version
              <input list="class-versions" value={version} onChange={(e) => setVersion(e.target.value)} />
              <datalist id="class-versions">
                {cc?.kubernetesVersions.map((v) => (
                  <option key={v} value={v} />
                ))}
              </datalist>
            </label>
            <label className="field">
              Control-plane machines
              <input
                type="number"
                min={1}
                value={cpReplicas}
                onChange={(e) => setCpReplicas(Number(e.target.value))}
              />
            </label>
            <fieldset>
              <legend>Worker pools</legend>
              {workers.map((w, i) => (
                <div key={i} className="inline">
                  <input
                    aria-label={`pool ${i + 1} name`}
                    value={w.name}
                    onChange={(e) =>
                      setWorkers(workers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))
                    }
                  />
                  <select
                    aria-label={`pool ${i + 1} class`}
                    value={w.class}
                    onChange={(e) =>
                      setWorkers(workers.map((x, j) => (j === i ? { ...x, class: e.target.value } : x)))
                    }
                  >
                    {cc?.workerClasses.map((c) => (
                      <option key={c.class}>{c.class}</option>
                    ))}
                  </select>
                  <input
                    aria-label={`pool ${i + 1} replicas`}
                    type="number"
                    min={0}
                    className="narrow"
                    value={w.replicas}
                    onChange={(e) =>
                      setWorkers(
                        workers.map((x, j) => (j === i ? { ...x, replicas: Number(e.target.value) } : x)),
                      )
                    }
                  />
                  <button
                    type="button"
                    className="small"
                    onClick={() => setWorkers(workers.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="small"
                onClick={() =>
                  setWorkers([
                    ...workers,
                    { name: `md-${workers.length}`, class: cc?.workerClasses[0]?.class ?? '', replicas: 1 },
                  ])
                }
              >
                Add pool
              </button>
            </fieldset>
            <fieldset aria-label="variables">
              <legend>Variables</legend>
              {cc?.variables.map((v) => (
                <VariableField
                  key={v.name}
                  name={v.name}
                  required={v.required}
                  schema={openApiSchema(v.schema)}
                  text={texts[v.name] ?? ''}
                  error={fieldErrors[v.name]}
                  onChange={(text) => setTexts({ ...texts, [v.name]: text })}
                />
              ))}
            </fieldset>
          </>
        ) : (
          <>
            <label className="field">
              Management cluster
              <input value={managementCluster} onChange={(e) => setManagementCluster(e.target.value)} />
            </label>
            <label className="field">
              Template (clusterctl-style YAML with <code>{'${VARIABLES}'}</code>)
              <textarea rows={8} value={template} onChange={(e) => setTemplate(e.target.value)} />
            </label>
            <button type="button" onClick={() => void listTemplateVariables()}>
              List its variables
            </button>
            <fieldset aria-label="template variables">
              <legend>Variables</legend>
              {templateVars.map((v) => (
                <label key={v.name} className="field">
                  {v.name}
                  {v.required ? ' *' : ''}
                  <input
                    value={texts[v.name] ?? ''}
                    onChange={(e) => setTexts({ ...texts, [v.name]: e.target.value })}
                  />
                </label>
              ))}
            </fieldset>
          </>
        )}
        <div className="buttons">
          <button type="button" disabled={!formValid || busy} onClick={() => void send(true)}>
            Preview (dry run)
          </button>
          <button type="submit" className="primary" disabled={!formValid || busy}>
            Create
          </button>
        </div>
      </form>
      {serverError && <ErrorView error={serverError} />}
      {manifests && (
        <section aria-label="manifests">
          <h2>{manifests.length} manifests (dry run, nothing applied)</h2>
          <pre className="yaml">{manifests.map((m) => stringify(m)).join('---\n')}</pre>
        </section>
      )}
      {operation && <OperationView operation={operation} title={`Creating ${operation.name}`} />}
    </main>
  );
}
