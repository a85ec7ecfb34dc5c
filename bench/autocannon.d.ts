// The slice of autocannon 9 the load generator uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    type Request = {
      method?: string
      headers?: Record<string, string>
      body?: string
      setupRequest?: (request: Request, context: object) => Request
      onResponse?: (status: number, body: string, context: object) => void
    }
    type Options = {
      url: string
      connections: number
      duration: number
      timeout?: number
      sampleInt?: number
      requests?: Request[]
    }
    type Result = {
      errors: number
      timeouts: number
      duration: number
      /** Responses per HTTP status. */
      statusCodeStats: Record<string, { count: number }>
    }
    type Instance = PromiseLike<Result> & {
      on(event: 'response', listener: (...args: any[]) => void): Instance
      stop(): void
    }
  }
  function autocannon(options: autocannon.Options): autocannon.Instance
  export default autocannon
}
