import ArgumentParser
import BotApplication
import Foundation
import SettingsFiles

/// Where `run` and `check-config` read settings from, strongest first: the environment, the
/// `.env` file, then an optional JSON config file. All three use the same variable names.
///
/// ```json
/// { "COGWHEEL_DATA_DIR": "/var/lib/cogwheel", "COGWHEEL_AUTOLOAD": ["dice", "xp"], "COGWHEEL_HEARTBEAT_SECONDS": 10 }
/// ```
struct SettingsSources: ParsableArguments {
    @Option(help: "A .env file with settings; variables already in the environment win.")
    var envFile = ".env"

    @Option(help: "A JSON config file (env COGWHEEL_CONFIG): an object of settings by variable name; the environment and .env win.")
    var config: String?

    /// The merged settings; an unreadable or invalid file is reported on standard error and
    /// ends the command with exit status 78 (EX_CONFIG), as invalid settings do.
    func environmentOrExit() throws -> [String: String] {
        do {
            return try environment()
        } catch {
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }

    /// The merged settings.
    /// - Throws: `ValidationError` naming the file and the line or key that is wrong.
    func environment(_ process: [String: String] = ProcessInfo.processInfo.environment) throws -> [String: String] {
        let withDotEnv = try DotEnv.environment(mergingFile: envFile, environment: process)
        guard let path = config ?? withDotEnv["COGWHEEL_CONFIG"], !path.isEmpty else { return withDotEnv }
        return withDotEnv.merging(try ConfigFile.settings(at: path, known: SettingKey.names)) { stronger, _ in stronger }
    }
}

