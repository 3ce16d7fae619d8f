/** package.slim / layer / format / imageTag in lbuild.json, and the pure parts of the image output. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';
import { checkTag } from '../../../src/package/image-output/build-function-image.js';
import { contentSha256 } from '../../../src/package/image-output/image-context.js';
import { planFunctionImage } from '../../../src/package/image-output/image-plan.js';
import { defaultImageTag } from '../../../src/package/image-output/package-image.js';
import { layerZipPath, toLayerEntries } from '../../../src/package/layers/layer-layout.js';
import { resolveSlim } from '../../../src/package/slim/index.js';

function projectWith(pkg: unknown, name = 'My_App') {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-pkgconf-'));
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name,
      runtime: 'python3.11',
      functions: { api: { handler: 'app.handler' } },
      package: pkg,
    }),
  );
  return () => loadProject(dir);
}

describe('package config', () => {
  it('slim: true means the defaults, false or absent means off; layer, format and imageTag default sensibly', () => {
    expect(projectWith({ slim: true })().package).toMatchObject({
      slim: {},
      layer: false,
      format: 'zip',
      imageTag: undefined,
    });
    expect(projectWith({ slim: false })().package.slim).toBeUndefined();
    expect(projectWith({})().package.slim).toBeUndefined();
    const full = projectWith({
      slim: { keep: ['a/'], strip: { minBytes: 0 } },
      layer: true,
      format: 'image',
      imageTag: 'registry.local:5000/team/api:1.2',
    })();
    expect(full.package).toMatchObject({
      slim: { keep: ['a/'], strip: { minBytes: 0 } },
      layer: true,
      format: 'image',
      imageTag: 'registry.local:5000/team/api:1.2',
    });
  });

  it('rejects a misspelt slim option, an unknown format and a bad tag, naming the JSON path', () => {
    const path = (pkg: unknown) => {
      try {
        projectWith(pkg)();
      } catch (error) {
        if (error instanceof ConfigError) return error.jsonPath;
        throw error;
      }
      return 'accepted';
    };
    expect(path({ slim: { stirp: false } })).toBe('package.slim.stirp');
    expect(path({ slim: { strip: { minBytes: -1 } } })).toBe('package.slim.strip.minBytes');
    expect(path({ format: 'tarball' })).toBe('package.format');
    expect(path({ imageTag: 'Upper:case' })).toBe('package.imageTag');
  });

  it('resolves slim: user lists after the defaults, stubs kept on request, strip settings filled in', () => {
    const slim = resolveSlim({ remove: ['x/'], keep: ['y/'], keepTypeStubs: true }, 'python');
    expect(slim.remove.at(-1)).toBe('x/');
    expect(slim.remove).not.toContain('*.pyi');
    expect(slim.keep).toContain('y/');
    expect(slim.strip).toEqual({ enabled: true, minBytes: 4096, exclude: [] });
    expect(resolveSlim({ defaults: false }, 'nodejs').remove).toEqual([]);
    expect(resolveSlim({ strip: false }, 'nodejs').strip.enabled).toBe(false);
  });
});

describe('layer layout', () => {
  it('puts Python under python/ and Node under nodejs/, beside the function zip', () => {
    expect(toLayerEntries([{ name: 'numpy/__init__.py' }], 'python')).toEqual([
      { name: 'python/numpy/__init__.py' },
    ]);
    expect(toLayerEntries([{ name: 'node_modules/pg/index.js' }], 'nodejs')).toEqual([
      { name: 'nodejs/node_modules/pg/index.js' },
    ]);
    expect(layerZipPath('/out/api.zip')).toBe('/out/api-layer.zip');
  });
});

describe('function image plan', () => {
  it("keeps an AWS image's entrypoint and sets CMD to the handler", () => {
    const plan = planFunctionImage({
      baseImage: 'public.ecr.aws/lambda/python:3.12',
      baseEntrypoint: ['/lambda-entrypoint.sh'],
      language: 'python',
      handler: 'app.handler',
    });
    expect(plan).toMatchObject({
      bootstrapDir: undefined,
      entrypoint: ['/lambda-entrypoint.sh'],
      cmd: ['app.handler'],
    });
    expect(plan.dockerfile).not.toContain('ENTRYPOINT');
    expect(plan.dockerfile).toContain('CMD ["app.handler"]');
  });

  it("adds lbuild's bootstrap where the base has no runtime client, and for wsgi: handlers on AWS images", () => {
    const offline = planFunctionImage({
      baseImage: 'lbuild/offline-nodejs18.x-run:bookworm-x86_64',
      baseEntrypoint: [],
      language: 'nodejs',
      handler: 'index.handler',
    });
    expect(offline).toMatchObject({
      bootstrapDir: '/var/runtime',
      entrypoint: ['node', '/var/runtime/bootstrap.mjs'],
    });
    expect(offline.dockerfile).toContain('ENTRYPOINT ["node","/var/runtime/bootstrap.mjs"]');
    const wsgi = planFunctionImage({
      baseImage: 'public.ecr.aws/lambda/python:3.12',
      baseEntrypoint: ['/lambda-entrypoint.sh'],
      language: 'python',
      handler: 'wsgi:app.app',
    });
    expect(wsgi).toMatchObject({
      bootstrapDir: '/var/lbuild-runtime',
      entrypoint: ['python3', '-B', '/var/lbuild-runtime/bootstrap.py'],
    });
  });

  it('tags: lower-case default from the project name; invalid tags are user errors', () => {
    expect(defaultImageTag(projectWith({})())).toBe('my_app:latest');
    expect(checkTag('localhost:5000/api:v1')).toBe('localhost:5000/api:v1');
    expect(() => checkTag('API')).toThrow(/not a valid image tag/);
  });

  it('the content hash ignores input order and sees modes', () => {
    const a = { name: 'var/task/a.py', executable: false, data: Buffer.from('a') };
    const b = { name: 'var/task/b', executable: true, data: Buffer.from('b') };
    expect(contentSha256([a, b])).toBe(contentSha256([b, a]));
    expect(contentSha256([a, b])).not.toBe(contentSha256([a, { ...b, executable: false }]));
  });
});
