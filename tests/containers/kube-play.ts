import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ROOT } from '../support/processes.js';
import { podman, run } from './podman.js';
import { secretOf, type Stack } from './stack.js';

/**
 * deploy/kubernetes's Deployment, ConfigMap and a Secret made from the stack's secret files, played
 * with `podman kube play` on the compose stack's network: its pod becomes a third node of the
 * stack's cluster. Only what a real cluster would give differently is changed: the names (unique
 * to the test), the image, and the addresses of PostgreSQL, Redis and the public URL.
 */
type Obj = { kind: string; metadata: { name: string }; [k: string]: unknown };

const load = (file: string) => parseAllDocuments(readFileSync(path.join(ROOT, 'deploy/kubernetes', file), 'utf8')).map((d) => d.toJS() as Obj);

export interface KubePod {
  /** http://IP:8080 of the pod on the stack's network (reachable from this host) */
  url: string;
  down(): Promise<void>;
}

export async function playDeployment(stack: Stack, image: string): Promise<KubePod> {
  const name = `fh-${stack.project}`;
  const config = load('configmap.yaml')[0]! as Obj & { data: Record<string, string> };
  config.metadata.name = name;
  config.data.DATABASE_URL = config.data.DATABASE_URL!.replace(/@[^/]+\//, '@postgres:5432/');
  config.data.REDIS_URL = config.data.REDIS_URL!.replace(/\/\/[^/]+\//, '//redis:6379/');
  config.data.PUBLIC_URL = stack.publicUrl;
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData: Object.fromEntries(['postgres_password', 'redis_password', 'turn_secret', 'server_key'].map((k) => [k, secretOf(stack, k) + '\n'])) };
  const deployment = load('deployment.yaml').find((d) => d.kind === 'Deployment')! as Obj & { spec: { template: { spec: PodSpec } } };
  deployment.metadata.name = name;
  const pod = deployment.spec.template.spec;
  pod.containers[0]!.image = image;
  pod.containers[0]!.envFrom = [{ configMapRef: { name } }];
  pod.volumes.find((v) => v.secret)!.secret!.secretName = name;

  const secretFile = path.join(stack.dir, 'kube-secret.yaml');
  const file = path.join(stack.dir, 'kube.yaml');
  writeFileSync(secretFile, stringify(secret));
  writeFileSync(file, [config, deployment].map((d) => stringify(d)).join('---\n'));
  const down = async () => {
    await run('podman', ['kube', 'down', file]);
    await run('podman', ['secret', 'rm', name]);
  };
  let ip = '';
  try {
    // the Secret first and on its own: podman 4.3 crashes (VolumeFromSecret) when the Deployment in
    // the same file refers to a Secret it has not created yet
    await podman(['kube', 'play', secretFile]);
    await podman(['kube', 'play', '--network', `${stack.project}_backend`, file]);
    const containers = (await podman(['ps', '--filter', `pod=${name}-pod-0`, '--format', '{{.Names}}'])).trim().split('\n');
    for (const c of containers) ip ||= (await podman(['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', c])).trim();
  } catch (error) {
    await down();
    throw error;
  }
  return { url: `http://${ip}:8080`, down };
}

interface PodSpec {
  containers: { image: string; envFrom: unknown[] }[];
  volumes: { name: string; secret?: { secretName: string } }[];
}
