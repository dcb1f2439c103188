import DiscordModels
import Foundation

/// Who may run a host command.
enum HostCommandRole: Sendable {
    /// The bot's operators (see ``BotOperators``): bot-wide commands such as `/reload`.
    case `operator`
    /// Members with Manage Server in the guild where they type it, and the operators:
    /// commands that change or read that guild only.
    case guildManager

    /// `default_member_permissions`: Discord hides the command from members without it. The
    /// host still checks the role, because a guild's admins can change what Discord shows.
    var defaultMemberPermissions: UInt64 {
        switch self {
        case .operator: Permission.administrator
        case .guildManager: Permission.manageGuild
        }
    }

    /// The refusal's "who may run it" part.
    var whoMay: String {
        switch self {
        case .operator:
            "the bot's operators: the application's owner, its team's admins and developers, and the users in COGWHEEL_ADMIN_IDS"
        case .guildManager:
            "members with the Manage Server permission in this server, and the bot's operators"
        }
    }
}

/// Discord permission bits the host reads.
enum Permission {
    static let administrator: UInt64 = 1 << 3
    static let manageGuild: UInt64 = 1 << 5
}

/// How the person typing a host command stands towards the bot and the guild.
struct HostCommandCaller: Sendable, Equatable {
    var userID: UInt64
    var guildID: UInt64?
    var isOperator: Bool
    /// Manage Server (or Administrator, which includes it) in ``guildID``.
    var managesGuild: Bool

    func may(_ role: HostCommandRole) -> Bool {
        switch role {
        case .operator: isOperator
        case .guildManager: isOperator || (guildID != nil && managesGuild)
        }
    }
}

/// An option of a host command, declared the way CogKit's `Option` is.
struct HostCommandOption: Sendable {
    enum Kind: Sendable {
        case string
        case integer(min: Int, max: Int)
    }

    var name: String
    var description: String
    var kind: Kind
    var required: Bool

    static func string(_ name: String, _ description: String, required: Bool = true) -> HostCommandOption {
        HostCommandOption(name: name, description: description, kind: .string, required: required)
    }

    static func integer(_ name: String, _ description: String, in range: ClosedRange<Int>, required: Bool = false) -> HostCommandOption {
        HostCommandOption(name: name, description: description, kind: .integer(min: range.lowerBound, max: range.upperBound),
                          required: required)
    }

    var definition: ApplicationCommandOption {
        switch kind {
        case .string:
            return ApplicationCommandOption(type: 3, name: name, description: description, required: required)
        case .integer(let min, let max):
            var option = ApplicationCommandOption(type: 4, name: name, description: description, required: required)
            option.minValue = Double(min)
            option.maxValue = Double(max)
            return option
        }
    }
}

/// What a host command answers, and what the audit log records of it.
struct HostReply: Sendable {
    enum Body: Sendable {
        case text(String)
        case embed(HostMessage.Embed)
    }

    /// What the audit log records: nothing for a command that only reads.
    enum Audit: Sendable, Equatable {
        case none
        case succeeded
        case failed
    }

    var body: Body
    var audit: Audit

    /// A change that was made; audited as succeeded.
    static func done(_ text: String) -> HostReply { HostReply(body: .text("✅ " + text), audit: .succeeded) }
    /// A change that could not be made; audited as failed with `reason`.
    static func failed(_ reason: String) -> HostReply { HostReply(body: .text("❌ " + reason), audit: .failed) }
    /// An answer that changes nothing; not audited.
    static func info(_ text: String) -> HostReply { HostReply(body: .text(text), audit: .none) }
    static func info(_ embed: HostMessage.Embed) -> HostReply { HostReply(body: .embed(embed), audit: .none) }

    /// The answer's text, for the audit log's detail.
    var text: String {
        switch body {
        case .text(let text): text
        case .embed(let embed): embed.title
        }
    }

    var message: [UInt8] {
        switch body {
        case .text(let text): HostMessage.ephemeral(text)
        case .embed(let embed): HostMessage.ephemeral(embed: embed)
        }
    }
}

/// One invocation of a host command: who typed it, where, and its options as typed.
struct HostCommandInvocation: Sendable {
    var caller: HostCommandCaller
    /// The subcommand's name, for a command with subcommands.
    var subcommand: String?
    var options: [String: String]

    func string(_ name: String) -> String? { options[name] }
    func integer(_ name: String) -> Int? { options[name].flatMap { Int($0) } }

    /// Reads the invoked subcommand and option values from an interaction's `data`.
    init(caller: HostCommandCaller, payload: [UInt8]) {
        self.caller = caller
        let decoded = try? JSONDecoder().decode(Payload.self, from: Data(payload))
        var subcommand: String?
        var options: [String: String] = [:]
        for option in decoded?.data?.options ?? [] {
            if let value = option.value {
                options[option.name] = value.text
            } else {
                // A subcommand: its own options sit one level down.
                subcommand = option.name
                for nested in option.options ?? [] { options[nested.name] = nested.value?.text }
            }
        }
        self.subcommand = subcommand
        self.options = options
    }

    private struct Payload: Decodable {
        struct Data: Decodable {
            struct Option: Decodable {
                var name: String
                var value: Value?
                var options: [Option]?
            }
            var options: [Option]?
        }
        /// Option values arrive as strings or numbers.
        struct Value: Decodable {
            var text: String
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self.text = text
                } else {
                    text = String(try container.decode(Int.self))
                }
            }
        }
        var data: Data?
    }
}

/// What host commands' handlers act on, given at call time so the declarations are static.
struct HostCommandTools: Sendable {
    let actions: HostActions
    let guildSwitches: GuildSwitchCommand
    let audit: AdminAuditLog
    let health: HealthProbe
    let jobs: JobScheduler
}

/// A host command declared with its options, who may run it and its handler.
///
/// ```swift
/// HostCommand("reload", "Load a new build of a cog", role: .operator,
///             options: [.string("cog", "The cog's name")], audits: "cog") { invocation, tools in
///     await tools.actions.reload(invocation.cogName)
/// }
/// ```
struct HostCommand: Sendable {
    /// A subcommand: a name, a description and its own options.
    struct Subcommand: Sendable {
        var name: String
        var description: String
        var options: [HostCommandOption]
    }

    var name: String
    var description: String
    var role: HostCommandRole
    var options: [HostCommandOption]
    var subcommands: [Subcommand]
    /// The option whose value the audit log records as the target.
    var auditTarget: String?
    /// Answer "thinking…" first, for work that takes seconds; the reply then edits it.
    var defersFirst: Bool
    var handler: @Sendable (HostCommandInvocation, HostCommandTools) async -> HostReply

    init(
        _ name: String, _ description: String, role: HostCommandRole, options: [HostCommandOption] = [],
        subcommands: [Subcommand] = [], audits auditTarget: String? = nil, defersFirst: Bool = false,
        handler: @escaping @Sendable (HostCommandInvocation, HostCommandTools) async -> HostReply
    ) {
        self.name = name
        self.description = description
        self.role = role
        self.options = options
        self.subcommands = subcommands
        self.auditTarget = auditTarget
        self.defersFirst = defersFirst
        self.handler = handler
    }

    /// The definition synced with Discord.
    var definition: ApplicationCommand {
        let subcommandOptions = subcommands.map { subcommand in
            var option = ApplicationCommandOption(type: 1, name: subcommand.name, description: subcommand.description)
            option.options = subcommand.options.isEmpty ? nil : subcommand.options.map(\.definition)
            return option
        }
        let all = subcommandOptions + options.map(\.definition)
        return ApplicationCommand(name: name, description: description, options: all.isEmpty ? nil : all,
                                  defaultMemberPermissions: String(role.defaultMemberPermissions))
    }
}
