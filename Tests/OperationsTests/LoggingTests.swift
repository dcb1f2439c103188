import CogHost
import Foundation
import Logging
import Operations
import Testing

/// The bot's log lines: JSON that parses, a level per subsystem, size-based rotation, and every
/// invalid setting named.
@Suite struct LoggingTests {
    @Test func jsonLinesWithLevelsPerSubsystemGoToTheRotatedFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-logs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bot.log")
        let settings = try LogSettings.fromEnvironment([
            "COGWHEEL_LOG_FORMAT": "json", "COGWHEEL_LOG_LEVEL": "warning", "COGWHEEL_LOG_LEVELS": "gateway=debug",
            "COGWHEEL_LOG_FILE": file.path,
        ])
        let logger = try LogLineHandler.logger(settings: settings)
        logger.subsystem("host").info("dropped: the host logs at warning")
        logger.subsystem("host").warning("kept", metadata: ["cog": "dice"])
        logger.subsystem("gateway").debug("heartbeat acknowledged", metadata: ["shard": "0"])
        logger.subsystem("rest").info("dropped: rest has no level of its own")

        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]) }
        #expect(objects[0]["message"] == "kept")
        #expect(objects[0]["level"] == "warning")
        #expect(objects[0]["cog"] == "dice")
        #expect(objects[0]["subsystem"] == "host")
        #expect(objects[1]["message"] == "heartbeat acknowledged")
        #expect(objects[1]["subsystem"] == "gateway")
        #expect(objects[1]["time"].flatMap { try? LogLineHandler.timeStyle.parse($0) } != nil)
    }

    @Test func theFileRotatesBySizeAndKeepsTheConfiguredNumber() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-logs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bot.log")
        let log = try RotatingLogFile(file: file, maxBytes: 1_000, keep: 2)
        for index in 0..<60 {
            log.write(String(format: "line %03d ", index) + String(repeating: "x", count: 90))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["bot.log", "bot.log.1", "bot.log.2"])
        for name in names {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int)
            #expect(size <= 1_000)
        }
        // The newest lines are in bot.log; the oldest kept ones in bot.log.2; older ones are gone.
        let newest = try String(contentsOf: file, encoding: .utf8)
        #expect(newest.contains("line 059"))
        let oldest = try String(contentsOf: directory.appendingPathComponent("bot.log.2"), encoding: .utf8)
        #expect(!oldest.contains("line 000"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test("a newline in a message or a value cannot forge a second text log line")
    func newlinesAreEscaped() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-logs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bot.log")
        let logger = try LogLineHandler.logger(settings: try LogSettings.fromEnvironment(["COGWHEEL_LOG_FILE": file.path]))
        logger.warning("refused\n2026-12-06T00:00:00Z critical cogwheel: forged", metadata: ["reason": "a\r\nb", "cog": "xp"])
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains(#"refused\n2026-12-06T00:00:00Z critical"#) == true && lines.first?.contains(#"reason=a\r\nb"#) == true,
                "\(lines)")
    }

    @Test func invalidLogSettingsAreEachNamed() {
        do {
            _ = try LogSettings.fromEnvironment(["COGWHEEL_LOG_LEVEL": "loud", "COGWHEEL_LOG_LEVELS": "gateway=debug,disk=info",
                                                 "COGWHEEL_LOG_FORMAT": "xml", "COGWHEEL_LOG_KEEP": "0"])
            Issue.record("invalid settings were accepted")
        } catch let error as OperationsSettingsError {
            #expect(error.problems.map { String($0.prefix(while: { $0 != " " })) }
                == ["COGWHEEL_LOG_LEVEL", "COGWHEEL_LOG_LEVELS", "COGWHEEL_LOG_FORMAT", "COGWHEEL_LOG_KEEP"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

/// The crash report written at the start after a crash.
@Suite struct CrashLogTests {
    @Test func namesTheCogInFlightAndKeepsTheLastLogLines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logFile = directory.appendingPathComponent("bot.log")
        try (0..<150).map { "line \($0)" }.joined(separator: "\n").write(to: logFile, atomically: true, encoding: .utf8)
        let report = CrashReport(pid: 4242, signal: 11, suspects: [.init(cog: "dice", route: "roll", inFlight: 1)])

        let file = try CrashLog.write(report, logFile: logFile, into: directory)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(file.lastPathComponent.hasPrefix("crash-") && file.pathExtension == "log")
        #expect(text.contains("died from signal 11"))
        #expect(text.contains("in flight: cog dice, route roll, 1 call(s)"))
        #expect(text.contains("The last 100 log lines before the crash"))
        #expect(text.contains("line 149") && text.contains("line 50\n") && !text.contains("line 49\n"))

        let withoutLogs = try String(contentsOf: try CrashLog.write(report, logFile: nil, into: directory, at: Date(timeIntervalSinceNow: 1)),
                                     encoding: .utf8)
        #expect(withoutLogs.contains("no breadcrumbs"))
    }
}
