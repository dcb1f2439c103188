@testable import CogHost
import DiscordModels
import Foundation
import Logging
import Synchronization
import Testing

@Suite("Operators and guild managers")
struct OperatorTests {
    static let manager = InteractionFactory.Invoker(id: 55, username: "manager", permissions: Permission.manageGuild)
    static let strangerAdmin = InteractionFactory.Invoker(id: 66, username: "stranger", permissions: Permission.administrator)

    @Test("a team's owner, admins and developers manage the application; read-only and invited members do not")
    func teamManagers() throws {
        let json = """
            {"id":"10","owner":{"id":"99","username":"team99"},"team":{"id":"99","icon":null,"name":"T","owner_user_id":"1",
             "members":[{"user":{"id":"1"},"team_id":"99","membership_state":2,"role":"admin","permissions":["*"]},
                        {"user":{"id":"2"},"team_id":"99","membership_state":2,"role":"developer","permissions":["*"]},
                        {"user":{"id":"3"},"team_id":"99","membership_state":2,"role":"read_only","permissions":["*"]},
                        {"user":{"id":"4"},"team_id":"99","membership_state":1,"role":"admin","permissions":["*"]},
                        {"user":{"id":"5"},"team_id":"99","membership_state":2,"role":"a_future_role","permissions":[]}]}}
            """
        let application = try JSONCoding.decode(DiscordApplication.self, from: Array(json.utf8))
        #expect(application.managers.map(\.userID) == [1, 2])
        #expect(application.managers.map(\.role) == [.owner, .teamDeveloper])
        let solo = DiscordApplication(id: 10, owner: .init(id: 7))
        #expect(solo.managers == [.init(userID: 7, role: .owner)])
    }

    @Test("until Discord answers only the configured users are operators; a failed refresh keeps the last answer")
    func refreshKeepsTheLastAnswer() async throws {
        let answer = Mutex<DiscordApplication?>(DiscordApplication(id: 10, owner: .init(id: 7)))
        struct Unreachable: Error {}
        let operators = BotOperators(configured: [42], application: {
            guard let application = answer.withLock({ $0 }) else { throw Unreachable() }
            return application
        }, logger: Logger(label: "test"))
        #expect(operators.isOperator(42) && !operators.isOperator(7))
        try await operators.refresh()
        #expect(operators.isOperator(7) && operators.isOperator(42))
        answer.withLock { $0 = nil }
        await #expect(throws: Unreachable.self) { try await operators.refresh() }
        #expect(operators.isOperator(7), "the last answer still counts")
        #expect(operators.snapshot.description == "from Discord 7 (owner); COGWHEEL_ADMIN_IDS 42")
    }

    @Test("with operator guilds the operators' commands go only there; a guild that is also the default scope gets one copy")
    func commandPlan() {
        let host = HostCommands.definitions
        let cogs = [ApplicationCommand(name: "roll", description: "Roll")]
        let everywhere = CommandPlan(host: host, cogs: cogs, operatorGuilds: [], defaultGuild: nil)
        #expect(everywhere.scopes.count == 1)
        #expect(Set(everywhere.scopes[0].definitions.map(\.name)) == HostCommands.names.union(["roll"]))

        let split = CommandPlan(host: host, cogs: cogs, operatorGuilds: [5, 6, 5], defaultGuild: nil)
        #expect(split.scopes.map(\.guild) == [nil, 5, 6])
        #expect(split.scopes[0].definitions.map(\.name).sorted() == ["audit", "cog", "roll"])
        #expect(split.scopes[1].definitions.map(\.name).sorted() == ["backup", "cogs", "health", "jobs", "load", "reload", "sync", "unload"])

        let sameGuild = CommandPlan(host: host, cogs: cogs, operatorGuilds: [5], defaultGuild: 5)
        #expect(sameGuild.scopes.count == 1, "a second bulk overwrite of guild 5 would erase the first")
        #expect(sameGuild.scopes[0].definitions.count == HostCommands.names.count + 1)
    }

    @Test("the operators' commands are hidden from non-administrators, the guild managers' from members without Manage Server")
    func defaultMemberPermissions() {
        let byName = Dictionary(uniqueKeysWithValues: (HostCommands.definitions.operators + HostCommands.definitions.guildManagers)
            .map { ($0.name, $0.defaultMemberPermissions) })
        #expect(byName["unload"] == "8" && byName["backup"] == "8")
        #expect(byName["cog"] == "32" && byName["audit"] == "32")
    }

    @Test("an Administrator of another guild cannot unload a cog; a Manage Server member runs their guild only; the audit is per guild")
    func guildAdminsRunTheirGuildOnly() async throws {
        var test = try await TestHost.start(installing: [("dice", "dice")])
        let refused = try await test.reply("/unload dice", as: Self.strangerAdmin, guild: 101)
        #expect(refused?.content?.hasPrefix("⛔ /unload is for the bot's operators: the application's owner") == true, "\(String(describing: refused))")
        #expect(refused?.flags == MessageFlags.ephemeral)
        #expect(try await test.reply("/roll 1d6", guild: 101)?.content?.contains("rolled") == true, "the cog keeps serving")
        #expect(try await test.reply("/load dice", as: Self.strangerAdmin, guild: 101)?.content?.hasPrefix("⛔") == true)
        #expect(try await test.reply("/backup", as: Self.manager)?.content?.hasPrefix("⛔") == true)

        #expect(try await test.reply("/cog disable dice", as: Self.manager)?.content == "✅ Turned `dice` off in this server.")
        #expect(try await test.reply("/roll 1d6")?.content == "This command is turned off in this server.")
        #expect(try await test.reply("/roll 1d6", guild: 101)?.content?.contains("rolled") == true, "another guild is untouched")
        #expect(try await test.reply("/cog disable dice", as: TestHost.player)?.content?.contains("Manage Server") == true)

        let managersView = try #require(try await test.reply("/audit", as: Self.manager)?.embeds?.first)
        #expect(managersView.title == "Audit log (this server)")
        #expect(managersView.description?.contains("/cog disable dice") == true)
        #expect(managersView.description?.contains("/unload") == false, "guild 101's attempts are not guild 100's business")
        let operatorsView = try #require(try await test.reply("/audit count:25", as: TestHost.admin)?.embeds?.first)
        #expect(operatorsView.title == "Audit log (every server)")
        #expect(operatorsView.description?.contains("⛔ <t:") == true)
        #expect(operatorsView.description?.contains("<@66> /unload dice in server 101") == true, "\(operatorsView.description ?? "")")

        #expect(try await test.reply("/unload dice", as: TestHost.admin)?.content?.hasPrefix("✅ Unloaded") == true)
        await test.stop()
    }
}
