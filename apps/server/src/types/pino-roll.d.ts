// pino-roll ships no type declarations; the options oa uses (see its README).
declare module 'pino-roll' {
  interface PinoRollOptions {
    file: string | (() => string)
    extension?: string
    frequency?: 'daily' | 'hourly' | number
    size?: string | number
    dateFormat?: string
    mkdir?: boolean
    symlink?: boolean
    limit?: { count?: number; removeOtherLogFiles?: boolean }
  }
  export default function pinoRoll(options: PinoRollOptions): Promise<NodeJS.WritableStream>
}
