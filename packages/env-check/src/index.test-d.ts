import { describe, expectTypeOf, it } from 'vitest'
import {
  checkEnv,
  ensureEnvFile,
  loadEnv,
  parseDotenv,
  planSecretRotation,
  type EnvCheckResult,
  type EnvEdit,
  type EnvProblem,
  type EnvProblemCode,
  type EnsureEnvFileResult,
  type OaConfig,
  type SecretRotationPlan,
} from './index.js'

describe('public types', () => {
  it('narrows the result on ok', () => {
    const r = loadEnv({ rootDir: '/', processEnv: {} })
    expectTypeOf(r).toEqualTypeOf<EnvCheckResult>()
    if (r.ok) {
      expectTypeOf(r.config).toEqualTypeOf<OaConfig>()
      // @ts-expect-error problems only exist on failure
      void r.problems
    } else {
      expectTypeOf(r.problems).toEqualTypeOf<readonly EnvProblem[]>()
    }
  })

  it('keeps the fields the apps read, readonly', () => {
    expectTypeOf<OaConfig['server']['port']>().toEqualTypeOf<number>()
    expectTypeOf<OaConfig['storage']['mainDb']>().toEqualTypeOf<string>()
    expectTypeOf<OaConfig['logging']['level']>().toEqualTypeOf<
      'debug' | 'info' | 'warn' | 'error' | 'fatal'
    >()
    expectTypeOf<OaConfig['secrets']['fernetSalt']>().toEqualTypeOf<string | null>()
    const c = {} as OaConfig
    // @ts-expect-error the config is readonly
    c.server.port = 1
  })

  it('takes the documented inputs', () => {
    expectTypeOf(checkEnv)
      .parameter(0)
      .toHaveProperty('fileVars')
      .toEqualTypeOf<ReadonlyMap<string, string> | null>()
    expectTypeOf(parseDotenv).returns.toEqualTypeOf<Map<string, string>>()
    expectTypeOf(ensureEnvFile).returns.toEqualTypeOf<EnsureEnvFileResult>()
    expectTypeOf(planSecretRotation).returns.toEqualTypeOf<SecretRotationPlan>()
    expectTypeOf<EnvProblemCode>().toExtend<string>()
    expectTypeOf<EnvEdit['op']>().toEqualTypeOf<'set' | 'place_after'>()
  })
})
