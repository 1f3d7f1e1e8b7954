import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ROOT } from '../support/processes.js';

/**
 * deploy/kubernetes/ against the Kubernetes 1.27 schemas that the kubernetes-models package pins
 * (offline, no cluster): every object must validate, and hold what the deployment needs.
 * (podman 4.3's `kube play` crashes on the Deployment's Secret volume, docs/containers.md.) The schemas check types, required fields and allowed values; like Kubernetes' own OpenAPI they
 * allow unknown fields, so the test names the fields that matter.
 */
const DIR = path.join(ROOT, 'deploy/kubernetes');
const MODELS = { ConfigMap, Secret, Service, Deployment, Ingress, PodDisruptionBudget } as const;
type Doc = { apiVersion: string; kind: keyof typeof MODELS; metadata: { name: string }; [k: string]: unknown };

function documents(file: string): Doc[] {
  return parseAllDocuments(readFileSync(path.join(DIR, file), 'utf8')).map((d) => {
    expect(d.errors, file).toEqual([]);
    return d.toJS() as Doc;
  });
}

const all = () => readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').flatMap((f) => documents(f).map((doc) => ({ file: f, doc })));
const find = <K extends keyof typeof MODELS>(kind: K) => all().find(({ doc }) => doc.kind === kind)!.doc as unknown as InstanceType<(typeof MODELS)[K]>;

describe('deploy/kubernetes against the Kubernetes schemas', () => {
  it('every object validates against its schema, and kustomization.yaml lists the files there are', () => {
    const objects = all();
    expect(objects.map(({ doc }) => doc.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'PodDisruptionBudget', 'Secret', 'Service']);
    for (const { file, doc } of objects) {
      const Model = MODELS[doc.kind];
      expect(Model, `${file}: ${doc.kind} is one of the kinds checked here`).toBeDefined();
      expect(() => new Model(doc as never).validate(), `${file}: ${doc.kind}/${doc.metadata.name}`).not.toThrow();
    }
    const kustomization = documents('kustomization.yaml')[0] as unknown as { resources: string[] };
    const listed = new Set(kustomization.resources);
    // the Secret's example is left out on purpose: operators make it from their files
    expect([...listed].sort()).toEqual(readdirSync(DIR).filter((f) => f.endsWith('.yaml') && !['kustomization.yaml', 'secret.example.yaml'].includes(f)).sort());
  });

  it('the schema check catches a broken manifest (the test can fail)', () => {
    const broken = structuredClone(find('Deployment')) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
  });

  it('the Deployment runs several non-root replicas with probes on /healthz, secrets from the Secret and the settings from the ConfigMap', () => {
    const d = find('Deployment');
    expect(d.spec!.replicas).toBeGreaterThanOrEqual(2);
    expect(d.spec!.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
    const pod = d.spec!.template.spec!;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    const c = pod.containers[0]!;
    for (const probe of [c.readinessProbe, c.livenessProbe]) expect(probe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(c.ports).toContainEqual({ name: 'http', containerPort: 8080 });
    expect(c.envFrom).toContainEqual({ configMapRef: { name: find('ConfigMap').metadata!.name } });
    const secretVolume = pod.volumes!.find((v) => v.secret)!;
    expect(secretVolume.secret!.secretName).toBe(find('Secret').metadata!.name);
    const mount = c.volumeMounts!.find((m) => m.name === secretVolume.name)!.mountPath;
    const files = Object.keys(find('Secret').stringData!);
    // every file of the Secret is named by a variable (the *_FILE ones, and the Authenticode certificate's two)
    const fileVars = (c.env ?? []).filter((e) => e.name.endsWith('_FILE') || e.value?.startsWith(`${mount}/`));
    expect(fileVars.map((e) => e.value).sort()).toEqual(files.map((f) => `${mount}/${f}`).sort());
    // the QuickSupport programs are signed at start with the one key of the Secret
    expect(c.env).toContainEqual({ name: 'AGENT_SIGNING_KEY_FILE', value: `${mount}/agent_signing_key` });
    // PostgreSQL and Redis are external: addresses in the ConfigMap, no password in it
    const settings = find('ConfigMap').data!;
    expect(settings.DATABASE_URL).toMatch(/^postgres:\/\/[^:@]+@/);
    expect(settings.REDIS_URL).toMatch(/^redis:\/\/[^:@/]+:\d+/);
    expect(all().map(({ doc }) => doc.kind)).not.toContain('StatefulSet');
  });

  it('the Service and the Ingress reach the pods, with WebSocket timeouts above the server keepalive and no sticky sessions', () => {
    const svc = find('Service');
    expect(svc.spec!.selector).toEqual(find('Deployment').spec!.template.metadata!.labels);
    const ing = find('Ingress');
    const backend = ing.spec!.rules![0]!.http!.paths[0]!.backend.service!;
    expect(backend).toEqual({ name: svc.metadata!.name, port: { name: 'http' } });
    const annotations = ing.metadata!.annotations!;
    const keepaliveS = Number(find('ConfigMap').data!.KEEPALIVE_MS) / 1000;
    for (const t of ['proxy-read-timeout', 'proxy-send-timeout']) expect(Number(annotations[`nginx.ingress.kubernetes.io/${t}`])).toBeGreaterThan(keepaliveS);
    expect(Object.keys(annotations).filter((k) => /affinity|sticky/.test(k))).toEqual([]);
    expect(ing.spec!.tls![0]!.hosts).toContain(ing.spec!.rules![0]!.host);
  });
});
