/** The small pieces of lbuild init: runtime mapping, CloudFormation YAML, route keys, CORS. */
import { describe, expect, it } from 'vitest';
import { newestRuntime } from '../../../src/runtimes/catalog.js';
import { parseCloudFormationYaml } from '../../../src/init/cfn-yaml.js';
import { corsFrom, routeKey } from '../../../src/init/import-common.js';
import { takeDefault } from '../../../src/init/init-types.js';
import { Notes } from '../../../src/init/notes.js';
import { importedRuntime, nearestRuntime } from '../../../src/init/runtime-mapping.js';

describe('runtime mapping', () => {
  it('moves old runtimes to the nearest one lbuild knows, at or above them', () => {
    expect(nearestRuntime('python', '3.6').name).toBe('python3.9');
    expect(nearestRuntime('python', '3.12').name).toBe('python3.12');
    expect(nearestRuntime('nodejs', '16').name).toBe('nodejs18.x');
    expect(nearestRuntime('nodejs', '21').name).toBe('nodejs22.x');
    // Newer than anything stable: the newest current runtime, never a preview one.
    expect(nearestRuntime('python', '3.99').name).toBe(newestRuntime('python').name);
  });

  it('says when a runtime changed, and leaves out languages lbuild does not package', () => {
    const notes = new Notes(takeDefault, false);
    expect(importedRuntime('python3.13', 'Runtime', notes)).toBe('python3.13');
    expect(importedRuntime('python3.15', 'Runtime', notes)).toBe(newestRuntime('python').name);
    expect(importedRuntime('java17', 'Runtime', notes)).toBeUndefined();
    expect(notes.mapped[0]).toBe('runtime python3.13 ← Runtime');
    expect(notes.mapped[1]).toContain('python3.15 (a preview runtime;');
    expect(notes.notMapped).toEqual([
      'Runtime: runtime java17 is not one lbuild packages (Python and Node.js only)',
    ]);
  });
});

describe('CloudFormation YAML', () => {
  it('reads short tags as their long forms, for scalars, lists and maps', () => {
    const parsed = parseCloudFormationYaml(
      [
        'a: !Ref Table',
        'b: !Sub "${AWS::StackName}-x"',
        'c: !GetAtt Fn.Arn',
        'd: !Join ["-", [a, !Ref B]]',
        'e: !If [IsProd, 1, 2]',
        'f: !Transform { Name: AWS::Include }',
      ].join('\n'),
      'template.yaml',
    );
    expect(parsed).toEqual({
      a: { Ref: 'Table' },
      b: { 'Fn::Sub': '${AWS::StackName}-x' },
      c: { 'Fn::GetAtt': 'Fn.Arn' },
      d: { 'Fn::Join': ['-', ['a', { Ref: 'B' }]] },
      e: { 'Fn::If': ['IsProd', 1, 2] },
      f: { 'Fn::Transform': { Name: 'AWS::Include' } },
    });
  });

  it('names the file and the place of a syntax error', () => {
    expect(() => parseCloudFormationYaml('a: [1, 2', 'serverless.yml')).toThrow(
      /^serverless\.yml is not valid YAML: .*line 1/s,
    );
  });
});

describe('route keys and CORS', () => {
  it('writes method and path the way API Gateway keys routes', () => {
    const notes = new Notes(takeDefault, false);
    expect(routeKey('get', 'users/{id}', 'e', notes)).toBe('GET /users/{id}');
    expect(routeKey('*', '/{proxy+}', 'e', notes)).toBe('ANY /{proxy+}');
    expect(routeKey('any', '/', 'e', notes)).toBe('ANY /');
    expect(routeKey('GET', '/{proxy+}/x', 'e', notes)).toBeUndefined();
    expect(notes.notMapped[0]).toMatch(/^e: route GET \/\{proxy\+\}\/x: .*last segment/);
  });

  it("maps Serverless' and SAM's CORS settings", () => {
    expect(corsFrom({ allowedOrigins: ['https://a.example'], maxAge: 60 })).toEqual({
      allowOrigins: ['https://a.example'],
      maxAge: 60,
    });
    expect(corsFrom({ AllowOrigin: "'*'", AllowMethods: "'GET,POST'" })).toEqual({
      allowOrigins: ['*'],
      allowMethods: ['GET', 'POST'],
    });
    expect(corsFrom(undefined)).toBeUndefined();
  });
});
