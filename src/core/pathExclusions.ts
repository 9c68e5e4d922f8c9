/**
 * Files whose content Kestrel never sends anywhere: secrets by default, plus the user's patterns.
 * The built-in secret patterns always apply, so a repository's settings cannot switch them off.
 */
import picomatch from 'picomatch';

export const SECRET_PATTERNS: readonly string[] = [
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.{crt,cer,der,p8,jks,keystore}',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.git/**',
  '**/.aws/**',
  '**/.azure/**',
  '**/.config/gcloud/**',
  '**/application_default_credentials.json',
  '**/.ssh/**',
  '**/.gnupg/**',
  '**/.netrc',
  '**/.npmrc',
  '**/.pypirc',
  '**/.git-credentials',
  '**/.docker/config.json',
  '**/.kube/config',
  '**/credentials.json',
  '**/secrets.{json,yaml,yml,toml}',
  '**/*.tfstate',
  '**/*.tfstate.backup',
  '**/.htpasswd',
  '**/*.env',
  '**/*.tfvars',
  '**/*.ppk',
  '**/*.kdbx',
  '**/*.keytab',
  '**/.pgpass',
  '**/.vault-token',
  '**/.dockercfg',
  '**/.yarnrc.yml',
];

export type PathMatcher = (path: string) => boolean;

/** Builds one matcher for the secret patterns plus `extra`; paths may be absolute or relative. */
export function createExclusionMatcher(extra: readonly string[] = []): PathMatcher {
  const patterns = [...SECRET_PATTERNS, ...extra.map((pattern) => (pattern.includes('/') ? pattern : `**/${pattern}`))];
  const matches = picomatch(patterns, { dot: true, nocase: true });
  return (path) => {
    const normalized = path.replace(/\\/g, '/');
    // A directory pattern like `**/.ssh/**` must also catch `.ssh/x` given without a leading folder.
    return matches(normalized) || matches(`/${normalized.replace(/^\/+/, '')}`);
  };
}
