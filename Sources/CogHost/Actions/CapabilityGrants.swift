import CogWire

/// The capabilities the operator takes away from cogs (`COGWHEEL_DENY_CAPABILITIES`), whatever
/// the cogs declare: `welcome=dm` takes DMs from the welcome cog, `*=mentions.everyone` takes
/// @everyone pings from every cog.
///
/// ```swift
/// let denials = try CapabilityDenials(parsing: "welcome=dm,*=mentions.everyone")
/// denials.granted(declared: ["messages.send", "dm"], to: "welcome")   // [.messagesSend]
/// ```
public struct CapabilityDenials: Sendable, Equatable {
    /// Denied capabilities by cog name; `*` for every cog.
    public private(set) var denied: [String: Set<CogCapability>] = [:]

    public init() {}

    /// Reads `cog=capability` entries separated by commas.
    ///
    /// - Throws: ``CapabilityProblem`` naming the entry that is not `cog=capability` with a
    ///   capability Cogwheel knows.
    public init(parsing text: String) throws(CapabilityProblem) {
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CapabilityProblem("'\(entry.trimmingCharacters(in: .whitespaces))' is not cog=capability (for example welcome=dm or *=mentions.everyone)")
            }
            guard let capability = CogCapability(rawValue: parts[1]) else {
                throw CapabilityProblem("'\(parts[1])' is not a capability; known ones are \(CogCapability.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            denied[parts[0], default: []].insert(capability)
        }
    }

    /// Whether the operator denied `capability` to cog `cog`.
    public func denies(_ capability: CogCapability, to cog: String) -> Bool {
        denied[cog]?.contains(capability) == true || denied["*"]?.contains(capability) == true
    }

    /// What cog `cog` may do: what it declared, less what the operator denied. Unknown names
    /// never get this far (``ManifestValidator`` refuses the load).
    public func granted(declared: [String], to cog: String) -> Set<CogCapability> {
        Set(declared.compactMap(CogCapability.init(rawValue:)).filter { !denies($0, to: cog) })
    }
}

/// A `COGWHEEL_DENY_CAPABILITIES` entry that cannot be read.
public struct CapabilityProblem: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
