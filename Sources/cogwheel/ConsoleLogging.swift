import Logging

/// The console's logger: human-readable lines on standard error, at a chosen level.
enum ConsoleLogging {
    static func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "cogwheel") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = level
        return logger
    }
}
