/**
 * The example events from the API Gateway developer guide, trimmed of the authorizer and client
 * certificate blocks (lbuild has neither). Sources:
 * - HTTP API 2.0 and 1.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * - REST proxy event: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * Ids and times are not compared (they are the gateway's to invent).
 */

export const httpApiV2Example = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  cookies: ['cookie1', 'cookie2'],
  headers: { header1: 'value1', header2: 'value1,value2' },
  queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api-id',
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'id',
    http: {
      method: 'POST',
      path: '/my/path',
      protocol: 'HTTP/1.1',
      sourceIp: '192.0.2.1',
      userAgent: 'agent',
    },
    requestId: 'id',
    routeKey: '$default',
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  },
  body: 'Hello from Lambda',
  pathParameters: { parameter1: 'value1' },
  isBase64Encoded: false,
  stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
};

export const httpApiV1Example = {
  version: '1.0',
  resource: '/my/path',
  path: '/my/path',
  httpMethod: 'GET',
  headers: { header1: 'value1', header2: 'value2' },
  multiValueHeaders: { header1: ['value1'], header2: ['value1', 'value2'] },
  // The guide shows parameter1: "value1" here, but its REST example (below) shows the last value
  // winning ("multivalueName": "me"); lbuild uses last-wins for both, see the test.
  queryStringParameters: { parameter1: 'value1', parameter2: 'value' },
  multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
  requestContext: {
    accountId: '123456789012',
    apiId: 'id',
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'id',
    extendedRequestId: 'request-id',
    httpMethod: 'GET',
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '192.0.2.1',
      user: null,
      userAgent: 'user-agent',
      userArn: null,
    },
    path: '/my/path',
    protocol: 'HTTP/1.1',
    requestId: 'id=',
    requestTime: '04/Mar/2020:19:15:17 +0000',
    requestTimeEpoch: 1583349317135,
    resourceId: null,
    resourcePath: '/my/path',
    stage: '$default',
  },
  pathParameters: null,
  stageVariables: null,
  body: 'Hello from Lambda!',
  isBase64Encoded: false,
};

/** POST /testStage/hello/world?name=me with stage variable stageVariableName=stageVariableValue. */
export const restProxyExample = {
  resource: '/{proxy+}',
  path: '/hello/world',
  httpMethod: 'POST',
  headers: {
    Accept: '*/*',
    'Content-Type': 'application/json',
    headerName: 'headerValue',
    Host: 'gy415nuibc.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'PostmanRuntime/2.4.5',
  },
  multiValueHeaders: {
    Accept: ['*/*'],
    'Content-Type': ['application/json'],
    headerName: ['headerValue'],
    Host: ['gy415nuibc.execute-api.us-east-1.amazonaws.com'],
    'User-Agent': ['PostmanRuntime/2.4.5'],
  },
  queryStringParameters: { name: 'me', multivalueName: 'me' },
  multiValueQueryStringParameters: { name: ['me'], multivalueName: ['you', 'me'] },
  pathParameters: { proxy: 'hello/world' },
  stageVariables: { stageVariableName: 'stageVariableValue' },
  requestContext: {
    accountId: '12345678912',
    resourceId: 'roq9wj',
    stage: 'testStage',
    requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
    identity: { sourceIp: '192.168.196.186', userAgent: 'PostmanRuntime/2.4.5' },
    resourcePath: '/{proxy+}',
    httpMethod: 'POST',
    apiId: 'gy415nuibc',
  },
  body: '{\r\n\t"a": 1\r\n}',
  isBase64Encoded: false,
};
