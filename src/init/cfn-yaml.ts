/**
 * YAML as CloudFormation (SAM templates) and the Serverless Framework write it: the short intrinsic
 * tags (!Ref, !Sub, !GetAtt...) parse into their long JSON forms ({"Ref": ...}, {"Fn::Sub": ...}),
 * so an importer sees one shape and can tell a literal string from a value only AWS can work out.
 */
import { parse, type ScalarTag, type CollectionTag } from 'yaml';
import { UserError } from '../errors.js';

const functions = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Length',
  'ToJsonString',
];

type Tag = ScalarTag | CollectionTag;

/** Each short tag may take a scalar, a sequence or a mapping, so each gets all three. */
function tagsFor(short: string, long: string): Tag[] {
  const wrap = (value: unknown) => ({ [long]: value });
  return [
    { tag: `!${short}`, resolve: (value: string) => wrap(value) },
    {
      tag: `!${short}`,
      collection: 'seq',
      resolve: (value) => wrap((value as { toJSON(): unknown }).toJSON()),
    },
    {
      tag: `!${short}`,
      collection: 'map',
      resolve: (value) => wrap((value as { toJSON(): unknown }).toJSON()),
    },
  ] as Tag[];
}

const cloudFormationTags: Tag[] = [
  ...tagsFor('Ref', 'Ref'),
  ...tagsFor('Condition', 'Condition'),
  ...functions.flatMap((name) => tagsFor(name, `Fn::${name}`)),
];

/** Parses YAML (or JSON, which is YAML) with CloudFormation's tags; a syntax error names the file. */
export function parseCloudFormationYaml(text: string, file: string): unknown {
  try {
    // logLevel error: a tag we do not know (a plugin's) is kept as its plain value, silently.
    return parse(text, { customTags: cloudFormationTags, logLevel: 'error', uniqueKeys: false });
  } catch (error) {
    throw new UserError(`${file} is not valid YAML: ${(error as Error).message}`, {
      hint: 'Fix the syntax (the message gives the line and column), then run lbuild init again.',
    });
  }
}

/** A plain value, not an intrinsic function only CloudFormation can evaluate. */
export function isLiteral(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
