// A real OpenID provider for Millwright's tests: panva's oidc-provider (OpenID Certified), started by
// io.millwright.testsupport.OidcTestProvider on a free loopback port. Nothing here is Millwright code:
// it configures the provider the way a site configures Keycloak or Entra ID for the hub.
//
// Environment: PORT, HUB_REDIRECT_URI (the hub's /login/oauth2/code/oidc), CLIENT_SECRET.
//
// Principals and their roles (the role names a site would use, mapped to the hub's roles by the hub's
// millwright.security.oidc.role-mapping):
//   - machine clients (client credentials grant, for the REST API): <role>-bot, secret CLIENT_SECRET;
//     'shortlived-bot' gets operator tokens that expire after 1 s; 'nobody-bot' has no role;
//   - people (authorization code + PKCE through the browser, the dev login form takes any password).
// Each token and the userinfo answer carry the roles twice: as 'roles' (a flat list, Entra ID's shape)
// and as 'realm_access.roles' with a 'plant-' prefix (Keycloak's shape).
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://localhost:${port}`;
const secret = process.env.CLIENT_SECRET;

const ROLES = {
  'viewer-bot': ['viewer'],
  'operator-bot': ['operator'],
  'integrator-bot': ['integrator'],
  'admin-bot': ['admin'],
  'shortlived-bot': ['operator'],
  'nobody-bot': [],
  vera: ['viewer'],
  otto: ['operator'],
  ada: ['admin'],
};

function roleClaims(principal) {
  const roles = ROLES[principal] ?? [];
  return { roles, realm_access: { roles: roles.map((role) => `plant-${role}`) } };
}

// a key of its own per start: a token of another instance is signed by another key
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `k-${port}`, alg: 'RS256', use: 'sig' };

const bots = Object.keys(ROLES).filter((id) => id.endsWith('-bot')).map((client_id) => ({
  client_id,
  client_secret: secret,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
}));

const provider = new Provider(issuer, {
  jwks: { keys: [jwk] },
  clients: [
    {
      client_id: 'millwright',
      client_secret: secret,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [process.env.HUB_REDIRECT_URI],
    },
    ...bots,
  ],
  pkce: { required: () => true }, // the hub must send a PKCE challenge, confidential client or not
  scopes: ['openid', 'profile', 'roles', 'api'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], roles: ['roles', 'realm_access'] },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, name: `${id[0].toUpperCase()}${id.slice(1)} Example`, preferred_username: id, ...roleClaims(id) }),
  }),
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // tokens of the machine clients are JWTs for the hub's API; the browser client's access token
      // stays opaque (for the userinfo endpoint) and the hub reads the roles from userinfo
      defaultResource: async (ctx, client, oneOf) => (client.clientId.endsWith('-bot') ? 'urn:millwright:api' : oneOf),
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource, client) => ({
        scope: 'api',
        audience: 'millwright',
        accessTokenTTL: client.clientId === 'shortlived-bot' ? 1 : 600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: async (ctx, token) => (token.kind === 'ClientCredentials'
    ? { preferred_username: token.clientId, ...roleClaims(token.clientId) }
    : undefined),
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening at ${issuer}`));
