import ArgumentParser
import BotRuntime
import Foundation
import Operations

/// `cogwheel check-config`: validates the settings `run` would use, without connecting.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check the bot's settings (environment and .env) and list every problem, without connecting."
    )

    @OptionGroup var host: HostOptions

    @OptionGroup var settings: SettingsSources

    func run() async throws {
        let environment = try settings.environmentOrExit()
        var problems: [String] = []
        do {
            let configuration = try host.hostConfiguration(environment: environment)
            print("data directory: \(configuration.dataDirectory.path); cogs: \(configuration.cogsDirectory.path)")
            let admins = configuration.adminUserIDs.sorted().map(String.init).joined(separator: ", ")
            print("operators: the application's owner and its team's admins and developers, as Discord says at start"
                + (admins.isEmpty ? "; COGWHEEL_ADMIN_IDS is empty, so nobody else (a guild's Administrator is not an operator)"
                    : ", and COGWHEEL_ADMIN_IDS \(admins)")
                + (configuration.operatorGuilds.isEmpty ? "" : "; their commands are registered only in guild(s) "
                    + configuration.operatorGuilds.map(String.init).joined(separator: ", ")))
            let operations = try OperationsSettings.fromEnvironment(environment, dataDirectory: configuration.dataDirectory)
            let logs = try LogSettings.fromEnvironment(environment)
            print("logs: \(logs.format.rawValue) at \(logs.level)" + (logs.file.map { ", also to \($0.path)" } ?? ""))
            print("operations endpoints: \(operations.address?.description ?? "off")"
                + (operations.metricsToken.map { "; /metrics needs \($0)" } ?? "") + "; heartbeat file: \(operations.heartbeatFile?.path ?? "off")")
            print("crash loop: back off after \(operations.crashLoop.threshold) crashes in \(operations.crashLoop.window.components.seconds) s; "
                + "operator notices: \(operations.notifications)")
        } catch let error as OperationsSettingsError {
            problems += error.problems
        } catch {
            problems.append("\(error)")
        }
        do {
            let bot = try BotConfiguration.fromEnvironment(environment)
            print("Discord: \(bot.apiBase), token \(bot.token), intents \(bot.intents.rawValue)"
                + (bot.developmentGuildID.map { ", commands sync to guild \($0)" } ?? ", commands sync globally"))
        } catch {
            problems += error.problems
        }
        guard problems.isEmpty else {
            FileHandle.standardError.write(Data(("the configuration is invalid:\n" + problems.map { "  • \($0)" }.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(78)
        }
        print("configuration ok")
    }
}
