import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCommandLine } from './cli-args.js';

// The files users apply from deploy/ (see deploy/README.md); this checks what the walkthrough relies on.
const deploy = (name: string): string => readFileSync(new URL(`../../../deploy/${name}`, import.meta.url), 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped; the test asserts its shape.
type Doc = any;

function manifest(name: string): Doc {
  const docs = parseAllDocuments(deploy(name));
  expect(docs).toHaveLength(1);
  expect(docs[0]!.errors).toEqual([]);
  return docs[0]!.toJS();
}

const envOf = (container: Doc): Record<string, string> => Object.fromEntries(container.env.map((e: Doc) => [e.name, e.value]));

describe('deploy/', () => {
  const job = manifest('compare-job.yaml');
  const merge = manifest('merge-job.yaml');
  const pvc = manifest('results-pvc.yaml');
  const reader = manifest('results-reader.yaml');
  const container = job.spec.template.spec.containers[0];

  it('the compare Job is Indexed, one pod per shard, and tells gated the shard count', () => {
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'gated-compare' } });
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.parallelism).toBeGreaterThanOrEqual(1);
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    expect(envOf(container)['JOB_COMPLETIONS']).toBe(String(job.spec.completions));
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('each index writes its own directory on the shared volume, with flags gated compare accepts', () => {
    const parsed = parseCommandLine(container.args);
    expect(parsed.command).toBe('compare');
    const out = parsed.values['out'] as string;
    expect(out).toBe('/results/$(RUN)/shard-$(JOB_COMPLETION_INDEX)');
    expect(parsed.values['shard']).toBeUndefined(); // the shard comes from the Job's environment
    expect(container.volumeMounts).toEqual([{ name: 'results', mountPath: '/results' }]);
    expect(job.spec.template.spec.volumes).toEqual([{ name: 'results', persistentVolumeClaim: { claimName: pvc.metadata.name } }]);
    // One training worker per requested core.
    expect(parsed.values['workers']).toBe(String(container.resources.requests.cpu));
    expect(container.resources.limits.cpu).toBe(container.resources.requests.cpu);
  });

  it('the results volume can be written by every shard pod at once', () => {
    expect(pvc).toMatchObject({ kind: 'PersistentVolumeClaim', spec: { accessModes: ['ReadWriteMany'] } });
  });

  it('the merge Job runs gated merge over the same run and volume', () => {
    const c = merge.spec.template.spec.containers[0];
    expect(merge.kind).toBe('Job');
    expect(c.image).toBe(container.image);
    expect(envOf(c)['RUN']).toBe(envOf(container)['RUN']);
    expect(c.args[0]).toMatch(/^gated merge \/results\/"\$RUN"\/shard-\* --out \/results\/"\$RUN"\/merged && cat /);
    expect(merge.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
    expect(reader.spec.volumes[0].persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
  });

  it('every pod runs as a non-root user', () => {
    for (const spec of [job.spec.template.spec, merge.spec.template.spec, reader.spec]) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    }
  });

  it('the Dockerfile builds from the official Node 20 image with npm ci and runs gated as a non-root user', () => {
    const dockerfile = deploy('Dockerfile');
    const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from.every((image) => image!.startsWith('node:20'))).toBe(true);
    expect(dockerfile).toMatch(/^RUN npm ci && npx nx run-many -t build --projects=@gated\/compare/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["gated"\]$/m);
    expect(dockerfile).toMatch(/GATED_GIT_COMMIT/);
  });
});
