import { describe, expect, it } from 'vitest'
import { checkEnv } from './check-env.js'
import { check, problems, sampleText, validVars } from './test-helpers/env.js'
import { checkConfigVersion, compareVersions } from './version.js'

const codes = (env: string | undefined, sample: string | undefined): string[] =>
  checkConfigVersion(env, sample).map((w) => `${w.severity}:${w.code}`)

describe('ENV_CONFIG_VERSION against .sample.env (§2.8), never interactive', () => {
  it('says nothing when the versions are equal', () => {
    expect(codes('1.0.7', '1.0.7')).toEqual([])
  })

  it('warns, without stopping startup, when .env is older', () => {
    const r = check({ ENV_CONFIG_VERSION: '1.0.4' })
    expect(r.ok).toBe(true)
    const w = r.warnings.find((x) => x.code === 'config_version_outdated')
    expect(w?.severity).toBe('warn')
    expect(w?.message).toMatch(/^your \.env is version 1\.0\.4 but \.sample\.env is 1\.0\.7/)
    expect(w?.message).toContain('Never copy .sample.env over .env')
  })

  it('gives a notice when .env is newer', () => {
    expect(codes('1.0.10', '1.0.7')).toEqual(['info:config_version_newer'])
  })

  it('warns when a version cannot be parsed', () => {
    expect(codes('1.0.x', '1.0.7')).toEqual(['warn:config_version_unparsable'])
    expect(codes('1.0.7', 'one')).toEqual(['warn:config_version_unparsable'])
  })

  it('warns when .env has no version line, next to the "required" problem', () => {
    const r = check({ ENV_CONFIG_VERSION: undefined })
    expect(problems(r).map((p) => p.variable)).toEqual(['ENV_CONFIG_VERSION'])
    expect(r.warnings.map((w) => w.code)).toContain('config_version_missing')
  })

  it('warns when .env has an empty version', () => {
    expect(codes('', '1.0.7')).toEqual(['warn:config_version_missing'])
  })

  it('skips the comparison when the sample has no version, and warns when the sample is missing', () => {
    expect(codes('1.0.7', undefined)).toEqual([])
    const r = checkEnv({
      rootDir: '/srv/oa',
      fileVars: validVars(),
      processEnv: {},
      sampleText: null,
    })
    expect(r.warnings.map((w) => w.code)).toContain('sample_missing')
  })

  it('compares like Python tuples', () => {
    expect(compareVersions([1, 0, 9], [1, 0, 10])).toBe(-1)
    expect(compareVersions([1, 0], [1, 0, 0])).toBe(-1)
    expect(compareVersions([2], [1, 9, 9])).toBe(1)
    expect(compareVersions([1, 0, 7], [1, 0, 7])).toBe(0)
  })

  it('strips quotes and reads the sample with the same parser', () => {
    const sample = sampleText().replace(
      "ENV_CONFIG_VERSION = '1.0.7'",
      'ENV_CONFIG_VERSION = "1.0.8" # bumped',
    )
    const r = checkEnv({
      rootDir: '/srv/oa',
      fileVars: validVars(),
      processEnv: {},
      sampleText: sample,
    })
    expect(r.warnings.find((w) => w.code === 'config_version_outdated')?.message).toContain(
      '.sample.env is 1.0.8',
    )
  })
})
