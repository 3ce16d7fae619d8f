/**
 * The request payload example of the Lambda developer guide's "Invoking Lambda function URLs"
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload): an
 * AWS_IAM URL, so it carries authorizer.iam. The guide writes the URL id as "<urlid>" / "<url-id>";
 * here it is one concrete id so apiId, domainName and domainPrefix can be compared.
 */
export const exampleUrlId = 'abcdefghijklmnopqrstuvwxyz234567';

export const functionUrlDocExample = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  cookies: ['cookie1', 'cookie2'],
  headers: { header1: 'value1', header2: 'value1,value2' },
  queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
  requestContext: {
    accountId: '123456789012',
    apiId: exampleUrlId,
    authentication: null,
    authorizer: {
      iam: {
        accessKey: 'AKIA...',
        accountId: '111122223333',
        callerId: 'AIDA...',
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:iam::111122223333:user/example-user',
        userId: 'AIDA...',
      },
    },
    domainName: `${exampleUrlId}.lambda-url.us-west-2.on.aws`,
    domainPrefix: exampleUrlId,
    http: {
      method: 'POST',
      path: '/my/path',
      protocol: 'HTTP/1.1',
      sourceIp: '123.123.123.123',
      userAgent: 'agent',
    },
    requestId: 'id',
    routeKey: '$default',
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  },
  body: 'Hello from client!',
  pathParameters: null,
  isBase64Encoded: false,
  stageVariables: null,
};
