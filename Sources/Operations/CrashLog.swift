import CogHost
import Foundation

/// The file an operator reads after the process died from a signal: written at the next start,
/// with the flight recorder's account (the signal and the cogs in flight, with their routes)
/// and the last lines of the log file before the crash, the breadcrumbs.
public enum CrashLog {
    /// Writes `crash-<time>.log` into `directory` and returns it.
    ///
    /// - Parameters:
    ///   - logFile: The log file of the crashed run, when logs went to one; its last
    ///     `breadcrumbs` lines (and those of its newest rotated file, if needed) are copied.
    public static func write(_ report: CrashReport, logFile: URL?, breadcrumbs: Int = 100, into directory: URL,
                             at time: Date = Date()) throws -> URL {
        var text = "Cogwheel crash report, written at the start after the crash (\(time.formatted(LogLineHandler.timeStyle)))\n\n"
        text += report.summary + "\n"
        for suspect in report.suspects {
            text += "  in flight: cog \(suspect.cog), route \(suspect.route), \(suspect.inFlight) call(s)\n"
        }
        if let logFile {
            let lines = lastLines(of: logFile, count: breadcrumbs)
            text += "\nThe last \(lines.count) log lines before the crash (\(logFile.path)):\n" + lines.joined(separator: "\n") + "\n"
        } else {
            text += "\nNo log file was configured (COGWHEEL_LOG_FILE), so there are no breadcrumbs; see the journal.\n"
        }
        let stamp = time.formatted(LogLineHandler.timeStyle).replacingOccurrences(of: ":", with: "-")
        let file = directory.appendingPathComponent("crash-\(stamp).log")
        try Data(text.utf8).write(to: file, options: .atomic)
        // It quotes log lines, which may carry players' input and ids: for the operator only.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return file
    }

    /// The last `count` lines of `file`, reaching into `file.1` when `file` was just rotated.
    static func lastLines(of file: URL, count: Int) -> [String] {
        let current = (try? String(contentsOf: file, encoding: .utf8)).map { $0.split(separator: "\n").map(String.init) } ?? []
        guard current.count < count else { return Array(current.suffix(count)) }
        let rotated = (try? String(contentsOf: file.appendingPathExtension("1"), encoding: .utf8))
            .map { $0.split(separator: "\n").map(String.init) } ?? []
        return Array((rotated + current).suffix(count))
    }
}
