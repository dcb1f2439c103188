import Dispatch
import Foundation

/// SIGINT and SIGTERM as an awaitable event, so the bot can stop gracefully.
enum ShutdownSignal {
    /// Waits for the first SIGINT or SIGTERM and returns its name.
    static func next() async -> String {
        let (signals, continuation) = AsyncStream.makeStream(of: String.self)
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            sources.append(source)
        }
        var iterator = signals.makeAsyncIterator()
        let name = await withTaskCancellationHandler {
            await iterator.next() ?? "cancellation"
        } onCancel: {
            continuation.finish()
        }
        for source in sources { source.cancel() }
        return name
    }
}
