/// Why a REST request failed. Messages name the route template, never a token.
public enum RESTError: Error, Sendable, CustomStringConvertible {
    /// Discord answered with an error status; `code` and `message` come from its JSON body.
    case http(route: String, status: Int, code: Int?, message: String)
    /// The request did not complete in time.
    case timeout(route: String)
    /// The connection failed (after retries, for idempotent requests).
    case transport(route: String, detail: String)
    /// Still rate limited after the configured number of retries.
    case rateLimited(route: String, retries: Int)
    /// Too many invalid responses recently, from the bot or from `cause` (a cog's share);
    /// sending more would risk an IP ban.
    case invalidRequestBudgetExhausted(count: Int, budget: Int, cause: String?)
    /// Discord's answer could not be read.
    case undecodable(route: String, detail: String)

    public var description: String {
        switch self {
        case .http(let route, let status, let code, let message):
            "\(route) failed with HTTP \(status)\(code.map { " (Discord code \($0))" } ?? ""): \(message)"
        case .timeout(let route): "\(route) timed out"
        case .transport(let route, let detail): "\(route) could not reach Discord: \(detail)"
        case .rateLimited(let route, let retries): "\(route) was still rate limited after \(retries) retries"
        case .invalidRequestBudgetExhausted(let count, let budget, nil):
            "refusing to send: \(count) invalid responses (401/403/429) in 10 minutes, budget \(budget); check the token and permissions"
        case .invalidRequestBudgetExhausted(let count, let budget, let cause?):
            "refusing to send for \(cause): its requests drew \(count) invalid responses (401/403/429) in 10 minutes, its budget is \(budget); check the bot's permissions where it posts"
        case .undecodable(let route, let detail): "\(route) returned an unreadable answer: \(detail)"
        }
    }

    /// Whether trying again later can help: Discord's server errors and outages, timeouts,
    /// unreachable hosts and rate limits. A refusal (4xx), an exhausted invalid-request budget
    /// or an unreadable answer will not change by waiting.
    public var isTransient: Bool {
        switch self {
        case .http(_, let status, _, _): status >= 500
        case .timeout, .transport, .rateLimited: true
        case .invalidRequestBudgetExhausted, .undecodable: false
        }
    }

    /// Discord's error code, when it sent one (e.g. 40060: interaction already acknowledged).
    public var discordCode: Int? {
        if case .http(_, _, let code, _) = self { return code }
        return nil
    }
}
